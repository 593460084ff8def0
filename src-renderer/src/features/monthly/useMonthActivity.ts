/**
 * What the unit did this Beijing month (edits and 本月已核实 by task), read from its revisions once,
 * then kept current from each saved annotation, and read again after an import or a restore (or
 * when the month has turned).
 */
import { useEffect, useRef, useState } from 'react';
import { chinaMonth } from '../../../../src-main/shared/time';
import { db } from '../../db/db';
import { isBulkChange, onDataChange } from '../../db/mutate';
import { readMonthActivity, type MonthActivity } from '../../db/repo';

export function useMonthActivity(unitCode: string | null): MonthActivity {
  const [activity, setActivity] = useState<MonthActivity>(() => ({ month: chinaMonth().month, byTask: new Map() }));
  const shownMonth = useRef(activity.month);
  useEffect(() => {
    if (!unitCode) return;
    let alive = true;
    const load = () =>
      void readMonthActivity(db, unitCode).then((a) => {
        if (!alive) return;
        shownMonth.current = a.month;
        setActivity(a);
      });
    load();
    const off = onDataChange((c) => {
      if (isBulkChange(c)) return load();
      if (c.kind !== 'annotation') return;
      const mine = c.annotations.filter((a) => a.unitCode === unitCode);
      if (mine.length === 0) return;
      const { month, start } = chinaMonth();
      if (month !== shownMonth.current) return load();
      // A save here is this month's newest revision of its task: the annotation's time is its time,
      // so no cell has to re-read the month's revisions.
      setActivity((prev) => {
        const byTask = new Map(prev.byTask);
        for (const a of mine) {
          if (a.updatedAt < start) continue;
          const e = { ...(byTask.get(a.taskId) ?? { editedAt: null, checkedAt: null, checkedBy: null }) };
          if (c.source === 'check') Object.assign(e, { checkedAt: a.updatedAt, checkedBy: a.updatedBy.name });
          else e.editedAt = a.updatedAt;
          byTask.set(a.taskId, e);
        }
        return { month: prev.month, byTask };
      });
    });
    return () => {
      alive = false;
      off();
    };
  }, [unitCode]);
  return activity;
}
