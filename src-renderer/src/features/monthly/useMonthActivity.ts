/**
 * What the unit did this Beijing month (edits and 本月已核实 by task), read from its revisions and
 * read again after every write that may have changed them (a save, a check, an import, a restore).
 */
import { useEffect, useState } from 'react';
import { chinaMonth } from '../../../../src-main/shared/time';
import { db } from '../../db/db';
import { isBulkChange, onDataChange } from '../../db/mutate';
import { readMonthActivity, type MonthActivity } from '../../db/repo';

export function useMonthActivity(unitCode: string | null): MonthActivity {
  const [activity, setActivity] = useState<MonthActivity>(() => ({ month: chinaMonth().month, byTask: new Map() }));
  useEffect(() => {
    if (!unitCode) return;
    let alive = true;
    const load = () =>
      void readMonthActivity(db, unitCode).then((a) => {
        if (alive) setActivity(a);
      });
    load();
    const off = onDataChange((c) => {
      if (isBulkChange(c) || (c.kind === 'annotation' && c.annotations.some((a) => a.unitCode === unitCode))) load();
    });
    return () => {
      alive = false;
      off();
    };
  }, [unitCode]);
  return activity;
}
