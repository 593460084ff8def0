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
}

const EMPTY: UnitData = { annotationsByTask: new Map(), evidenceCountByTask: new Map() };

export function useUnitData(unitCode: string | null): UnitData {
  return (
    useLiveQuery(async () => {
      if (!unitCode) return EMPTY;
      const [annotations, evidence] = await Promise.all([
        db.annotations.where('unitCode').equals(unitCode).toArray(),
        db.evidence.where('[taskId+unitCode]').between(['', unitCode], ['\uffff', unitCode]).toArray(),
      ]);
      const evidenceCountByTask = new Map<string, number>();
      for (const e of evidence) {
        if (e.unitCode !== unitCode || e.deleted) continue;
        evidenceCountByTask.set(e.taskId, (evidenceCountByTask.get(e.taskId) ?? 0) + 1);
      }
      return { annotationsByTask: new Map(annotations.map((a) => [a.taskId, a])), evidenceCountByTask };
    }, [unitCode]) ?? EMPTY
  );
}
