/**
 * What importing a bundle's periods and snapshots would do. Snapshots are immutable, so the rule
 * is by id and hash: same id and same hash = already here; same id and another hash = refused (one
 * of the two copies was altered — nothing of the bundle is imported); a new id = added. Periods are
 * added when new. A period that exists locally is versioned by `updatedAt` (a rename is a newer
 * version): the bundle's copy replaces the local one only when it is newer (`newerPeriod`, ties
 * decided the same way everywhere); a local edit that is newer stays, and the preview says so.
 */
import { fail, type AppError } from '../result';
import { cnDate } from '../time';
import { newerPeriod, samePeriod, type Period, type Snapshot } from './model';

/** A period both sides have in different versions. */
export interface PeriodUpdate {
  /** The local version. */
  before: Period;
  /** The bundle's version. */
  theirs: Period;
}

export interface SnapshotPlan {
  newPeriods: Period[];
  /** Local periods the bundle has a newer version of (renamed or re-dated there): replaced on import. */
  updatedPeriods: PeriodUpdate[];
  /** Local periods edited here more recently than the bundle's version: kept as they are. */
  keptPeriods: PeriodUpdate[];
  newSnapshots: Snapshot[];
  /** Snapshots already here (same id, same hash). */
  sameSnapshots: number;
  /** Set when a snapshot of the bundle has a local twin with another hash: the import is refused. */
  conflict: AppError | null;
}

/** The local facts the plan needs. */
export interface LocalSnapshots {
  /** The local versions of (at least) the bundle's periods, by id. */
  periods: ReadonlyMap<string, Period>;
  /** Hash of each local snapshot, by id. */
  snapshotHashes: ReadonlyMap<string, string>;
}

export function planSnapshotImport(local: LocalSnapshots, bundle: { periods?: readonly Period[]; snapshots?: readonly Snapshot[] }): SnapshotPlan {
  const plan: SnapshotPlan = { newPeriods: [], updatedPeriods: [], keptPeriods: [], newSnapshots: [], sameSnapshots: 0, conflict: null };
  for (const p of bundle.periods ?? []) {
    const mine = local.periods.get(p.id);
    if (!mine) plan.newPeriods.push(p);
    else if (samePeriod(mine, p)) continue;
    else if (newerPeriod(mine, p) === p) plan.updatedPeriods.push({ before: mine, theirs: p });
    else plan.keptPeriods.push({ before: mine, theirs: p });
  }
  for (const s of bundle.snapshots ?? []) {
    const have = local.snapshotHashes.get(s.id);
    if (have === undefined) plan.newSnapshots.push(s);
    else if (have === s.hash) plan.sameSnapshots++;
    else if (!plan.conflict) {
      const r = fail(
        'import.snapshot_conflict',
        `批注包中的快照（${cnDate(s.frozenAt)}冻结，${s.author.name}）与本机已有的同一快照内容不一致，其中一份可能被改动过。为保证快照不可更改，本次导入已拒绝，本机数据没有任何改动。`,
        `snapshot ${s.id}: local ${have} ≠ bundle ${s.hash}`,
      );
      if (!r.ok) plan.conflict = r.error;
    }
  }
  return plan;
}
