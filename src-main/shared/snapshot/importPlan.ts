/**
 * What importing a bundle's periods and snapshots would do. Snapshots are immutable, so the rule
 * is by id and hash: same id and same hash = already here; same id and another hash = refused (one
 * of the two copies was altered — nothing of the bundle is imported); a new id = added. Periods are
 * added when new; a period that exists locally keeps its local name and dates (periods are edited
 * by their owner, and a colleague's older copy must not rename them).
 */
import { fail, type AppError } from '../result';
import type { Period, Snapshot } from './model';

export interface SnapshotPlan {
  newPeriods: Period[];
  newSnapshots: Snapshot[];
  /** Snapshots already here (same id, same hash). */
  sameSnapshots: number;
  /** Set when a snapshot of the bundle has a local twin with another hash: the import is refused. */
  conflict: AppError | null;
}

/** The local facts the plan needs. */
export interface LocalSnapshots {
  periodIds: ReadonlySet<string>;
  /** Hash of each local snapshot, by id. */
  snapshotHashes: ReadonlyMap<string, string>;
}

export function planSnapshotImport(local: LocalSnapshots, bundle: { periods?: readonly Period[]; snapshots?: readonly Snapshot[] }): SnapshotPlan {
  const plan: SnapshotPlan = { newPeriods: [], newSnapshots: [], sameSnapshots: 0, conflict: null };
  for (const p of bundle.periods ?? []) if (!local.periodIds.has(p.id)) plan.newPeriods.push(p);
  for (const s of bundle.snapshots ?? []) {
    const have = local.snapshotHashes.get(s.id);
    if (have === undefined) plan.newSnapshots.push(s);
    else if (have === s.hash) plan.sameSnapshots++;
    else if (!plan.conflict) {
      const r = fail(
        'import.snapshot_conflict',
        `批注包中的快照（${s.frozenAt.slice(0, 10)} 冻结，${s.author.name}）与本机已有的同一快照内容不一致，其中一份可能被改动过。为保证快照不可更改，本次导入已拒绝，本机数据没有任何改动。`,
        `snapshot ${s.id}: local ${have} ≠ bundle ${s.hash}`,
      );
      if (!r.ok) plan.conflict = r.error;
    }
  }
  return plan;
}
