/**
 * Evaluation periods and snapshots in the app's database: the shared period service
 * (src-main/shared/services/periodService.ts, which holds the rules) over the IndexedDB store, each
 * write through the one write path (`mutate`: settle pending edits, write, one `DataChange`).
 */
import type { Author } from '../../../../src-main/shared/domain';
import { ok, type Result } from '../../../../src-main/shared/result';
import type { SnapshotChanges } from '../../../../src-main/shared/snapshot/compare';
import type { Period, Snapshot, SnapshotEntry } from '../../../../src-main/shared/snapshot/model';
import * as periods from '../../../../src-main/shared/services/periodService';
import type { PilotDb } from '../../db/db';
import { dexieStore } from '../../db/dexieStore';
import { mutate } from '../../db/mutate';

export type { CompareSide, PeriodInput } from '../../../../src-main/shared/services/periodService';

/** Periods in date order (then name). */
export function listPeriods(db: PilotDb): Promise<Period[]> {
  return periods.listPeriods(dexieStore(db));
}

/**
 * Creates a period (no `id`) or changes one (see the shared service). Saving without a change
 * writes nothing and announces nothing. Invalid input: a Chinese message, nothing written.
 */
export async function savePeriod(db: PilotDb, input: periods.PeriodInput & { id?: string }, now: Date = new Date()): Promise<Result<Period>> {
  const r = await mutate(
    'period',
    () => periods.savePeriod(dexieStore(db), input, { now }),
    (r) => (r.ok && r.value.wrote ? { action: 'saved' as const, id: r.value.period.id } : null),
  );
  return r.ok ? ok(r.value.period) : r;
}

/** Deletes a period that has no snapshot (a period with snapshots is part of the record). */
export function deletePeriod(db: PilotDb, id: string): Promise<Result<void>> {
  return mutate('period', () => periods.deletePeriod(dexieStore(db), id), (r) => (r.ok ? { action: 'deleted' as const, id } : null));
}

/** Snapshots, newest first. */
export function listSnapshots(db: PilotDb): Promise<Snapshot[]> {
  return periods.listSnapshots(dexieStore(db));
}

/** The current data as snapshot entries (当前), read in one transaction. */
export function currentEntries(db: PilotDb): Promise<SnapshotEntry[]> {
  return periods.currentEntries(dexieStore(db));
}

/** Freezes every annotation (what was just typed included) into a new, read-only snapshot of `periodId`. */
export function freezeNow(db: PilotDb, periodId: string, author: Author, corpusHash: string, now: Date = new Date()): Promise<Result<Snapshot>> {
  return mutate('period', () => periods.freezeSnapshotOf(dexieStore(db), periodId, author, corpusHash, { now }), (r) => (r.ok ? { action: 'frozen' as const, id: r.value.id } : null));
}

/** What changed from `older` to `newer` (each a snapshot id or 当前). */
export function compareSides(db: PilotDb, older: periods.CompareSide, newer: periods.CompareSide, opts: { unitCodes?: readonly string[] } = {}): Promise<Result<SnapshotChanges>> {
  return periods.compareSides(dexieStore(db), older, newer, opts);
}
