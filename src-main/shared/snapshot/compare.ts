/**
 * "What changed since the last period" (本期变化情况): the comparison of two snapshots, or of a
 * snapshot and the current data. Pure; the view, the reports and the CLI use the same function.
 */
import type { Status } from '../domain';
import type { SnapshotEntry, SnapshotEvidence } from './model';

/** A (task, unit) a change is about. */
export interface ChangeRef {
  key: string;
  taskId: string;
  unitCode: string;
}

/** The status of an annotation moved (both sides had the annotation). */
export interface StatusMove extends ChangeRef {
  from: Status;
  to: Status;
}

/** Evidence present in the newer side and not in the older (by id). */
export interface NewEvidence extends ChangeRef {
  evidence: SnapshotEvidence[];
}

export type CaseFlag = 'isInnovation' | 'isBestPractice';

/** 制度创新成果 / 最佳实践案例 newly set (not set in the older side). */
export interface NewCase extends ChangeRef {
  flags: CaseFlag[];
}

/** A (task, unit) with an annotation in the newer side and none in the older. */
export interface NewlyAnnotated extends ChangeRef {
  status: Status;
}

/** Everything that changed from `older` to `newer`, each list in task then unit order. */
export interface SnapshotChanges {
  statusMoves: StatusMove[];
  newEvidence: NewEvidence[];
  newCases: NewCase[];
  newlyAnnotated: NewlyAnnotated[];
}

/** Anything with entries: a snapshot, or `{ entries: freezeEntries(live) }` for 当前. */
export interface ComparableSide {
  entries: readonly SnapshotEntry[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const order = (a: ChangeRef, b: ChangeRef) => cmp(a.taskId, b.taskId) || cmp(a.unitCode, b.unitCode);

/**
 * Compares two sides. A (task, unit) only in `newer` is newly annotated (if it has an annotation)
 * and its evidence and flags count as new; one only in `older` (an undone import) is not a change
 * of the kinds listed. `unitCodes` narrows the comparison to those units (a district report).
 */
export function compareSnapshots(older: ComparableSide, newer: ComparableSide, opts: { unitCodes?: readonly string[] } = {}): SnapshotChanges {
  const units = opts.unitCodes ? new Set(opts.unitCodes) : null;
  const before = new Map(older.entries.map((e) => [e.key, e]));
  const out: SnapshotChanges = { statusMoves: [], newEvidence: [], newCases: [], newlyAnnotated: [] };
  for (const n of newer.entries) {
    if (units && !units.has(n.unitCode)) continue;
    const o = before.get(n.key);
    const ref = { key: n.key, taskId: n.taskId, unitCode: n.unitCode };
    const hadAnnotation = !!o && o.head !== null;
    if (n.head !== null) {
      if (!hadAnnotation) out.newlyAnnotated.push({ ...ref, status: n.status });
      else if (o.status !== n.status) out.statusMoves.push({ ...ref, from: o.status, to: n.status });
    }
    const oldIds = new Set((o?.evidence ?? []).map((e) => e.id));
    const added = n.evidence.filter((e) => !oldIds.has(e.id));
    if (added.length) out.newEvidence.push({ ...ref, evidence: added });
    const flags: CaseFlag[] = [];
    if (n.isInnovation && !(o?.isInnovation ?? false)) flags.push('isInnovation');
    if (n.isBestPractice && !(o?.isBestPractice ?? false)) flags.push('isBestPractice');
    if (flags.length) out.newCases.push({ ...ref, flags });
  }
  out.statusMoves.sort(order);
  out.newEvidence.sort(order);
  out.newCases.sort(order);
  out.newlyAnnotated.sort(order);
  return out;
}

/** Number of rows in a comparison. */
export function changeCount(c: SnapshotChanges): number {
  return c.statusMoves.length + c.newEvidence.length + c.newCases.length + c.newlyAnnotated.length;
}
