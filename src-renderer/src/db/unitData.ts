/**
 * The current unit's annotations and evidence counts, as the task list shows them (badges, traffic
 * lights, filters), and the head start the session gives that read while the app starts. Read
 * through the unit's indexes only (issue #8). The hook over it is features/tasks/useUnitData.ts.
 */
import type { Annotation } from '../../../src-main/shared/domain';
import { returnedTasks } from '../../../src-main/shared/rounds/model';
import type { ReviewDecision } from '../../../src-main/shared/rounds/schema';
import { startupMark } from '../lib/perfMarks';
import { db } from './db';

export interface UnitData {
  annotationsByTask: Map<string, Annotation>;
  evidenceCountByTask: Map<string, number>;
  /** Tasks the supervisor sent back (退回补充) that the unit has not submitted again, with the decision. */
  returnedByTask: Map<string, ReviewDecision>;
  /** False until the first read of the unit's rows has finished (or there is no unit). */
  loaded: boolean;
}

export const EMPTY_UNIT_DATA: UnitData = { annotationsByTask: new Map(), evidenceCountByTask: new Map(), returnedByTask: new Map(), loaded: false };
export const NO_UNIT_DATA: UnitData = { ...EMPTY_UNIT_DATA, loaded: true };

async function readAnnotations(unitCode: string): Promise<Map<string, Annotation>> {
  const annotations = await db.annotations.where('unitCode').equals(unitCode).toArray();
  return new Map(annotations.map((a) => [a.taskId, a]));
}

/**
 * Reads only the unit's rows: annotations through the `unitCode` index, evidence through the
 * `[taskId+unitCode]` keys of the unit's tasks (a range over that index would read every unit's
 * evidence, issue #8).
 */
export async function readUnitData(unitCode: string, taskIds: readonly string[]): Promise<UnitData> {
  const [annotationsByTask, evidence, decisions, submissions] = await Promise.all([
    readAnnotations(unitCode),
    db.evidence
      .where('[taskId+unitCode]')
      .anyOf(taskIds.map((id) => [id, unitCode]))
      .toArray(),
    // Few rows (decisions and receipts of the 督办 loop), usually none.
    db.reviews.filter((d) => d.unitCode === unitCode && d.reviewId !== null).toArray(),
    db.submissions.filter((x) => x.unitCode === unitCode).toArray(),
  ]);
  const evidenceCountByTask = new Map<string, number>();
  for (const e of evidence) {
    if (e.unitCode !== unitCode || e.deleted) continue;
    evidenceCountByTask.set(e.taskId, (evidenceCountByTask.get(e.taskId) ?? 0) + 1);
  }
  return { annotationsByTask, evidenceCountByTask, returnedByTask: returnedTasks(decisions, submissions, unitCode), loaded: true };
}

let primed: { unitCode: string; data: UnitData } | null = null;

/**
 * Reads the unit's annotations while the app starts (the session waits for it), so that the task
 * list's first render already has its badges — one render instead of an empty tree and a second one
 * (issue #8). Taken once by the first `useUnitData` of that unit; a failure only loses the head start.
 *
 * Not the evidence counts: they serve only the "完成但无佐证材料" filter, which every start begins
 * with off, and reading them (a cursor that jumps between the unit's 104 keys: a round trip to the
 * browser's storage per key) was the longest read before the first screen. `useUnitData`'s live read,
 * which starts as the list mounts, brings them a moment after the first frame.
 */
export async function primeUnitData(unitCode: string): Promise<void> {
  try {
    primed = { unitCode, data: { annotationsByTask: await readAnnotations(unitCode), evidenceCountByTask: new Map(), returnedByTask: new Map(), loaded: true } };
    startupMark('unit-data');
  } catch {
    primed = null;
  }
}

/** The primed data of `unitCode` (once), or the empty not-yet-loaded data. */
export function takePrimed(unitCode: string | null): UnitData {
  if (!unitCode || primed?.unitCode !== unitCode) return EMPTY_UNIT_DATA;
  const { data } = primed;
  primed = null;
  return data;
}
