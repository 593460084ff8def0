/**
 * The current unit's annotations and evidence counts, live from IndexedDB, for the task list's
 * badges, traffic lights and filters.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Annotation } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';

export interface UnitData {
  annotationsByTask: Map<string, Annotation>;
  evidenceCountByTask: Map<string, number>;
  /** False until the first read of the unit's rows has finished (or there is no unit). */
  loaded: boolean;
}

const EMPTY: UnitData = { annotationsByTask: new Map(), evidenceCountByTask: new Map(), loaded: false };
const NO_UNIT: UnitData = { ...EMPTY, loaded: true };

/**
 * Reads only the unit's rows: annotations through the `unitCode` index, evidence through the
 * `[taskId+unitCode]` keys of the unit's tasks (a range over that index would read every unit's
 * evidence, issue #8).
 */
export function useUnitData(unitCode: string | null, taskIds: readonly string[]): UnitData {
  return (
    useLiveQuery(async () => {
      if (!unitCode) return NO_UNIT;
      const [annotations, evidence] = await Promise.all([
        db.annotations.where('unitCode').equals(unitCode).toArray(),
        db.evidence
          .where('[taskId+unitCode]')
          .anyOf(taskIds.map((id) => [id, unitCode]))
          .toArray(),
      ]);
      const evidenceCountByTask = new Map<string, number>();
      for (const e of evidence) {
        if (e.unitCode !== unitCode || e.deleted) continue;
        evidenceCountByTask.set(e.taskId, (evidenceCountByTask.get(e.taskId) ?? 0) + 1);
      }
      return { annotationsByTask: new Map(annotations.map((a) => [a.taskId, a])), evidenceCountByTask, loaded: true };
    }, [unitCode, taskIds]) ?? EMPTY
  );
}
