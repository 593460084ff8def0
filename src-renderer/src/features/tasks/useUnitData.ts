/**
 * The current unit's annotations and evidence counts, live from IndexedDB, for the task list's
 * badges, traffic lights and filters (the reads are db/unitData.ts).
 */
import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { NO_UNIT_DATA, readUnitData, takePrimed, type UnitData } from '../../db/unitData';

export type { UnitData } from '../../db/unitData';

/** The unit's rows, read again on any write to those tables; the first render takes the session's head start. */
export function useUnitData(unitCode: string | null, taskIds: readonly string[]): UnitData {
  const initial = useMemo(() => takePrimed(unitCode), [unitCode]);
  return useLiveQuery(() => (unitCode ? readUnitData(unitCode, taskIds) : NO_UNIT_DATA), [unitCode, taskIds], initial);
}
