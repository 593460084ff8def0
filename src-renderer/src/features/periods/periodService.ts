/**
 * Evaluation periods and snapshots in the local database: define and edit periods, freeze a
 * snapshot of every annotation (read in one transaction, so it is consistent), list them, and
 * compare two snapshots or a snapshot with the current data.
 *
 * Snapshots are never edited or deleted here. A snapshot is the record of what was reported for a
 * period; once exported it lives in colleagues' databases too, and a deleted one would come back
 * with their next bundle anyway. A mistaken freeze is corrected by freezing again.
 */
import type { Author } from '../../../../src-main/shared/domain';
import { fail, ok, type Result } from '../../../../src-main/shared/result';
import { compareSnapshots, type SnapshotChanges } from '../../../../src-main/shared/snapshot/compare';
import { freezeEntries, freezeSnapshot, nextPeriodStamp, validatePeriod, type Period, type PeriodKind, type Snapshot, type SnapshotEntry } from '../../../../src-main/shared/snapshot/model';
import type { PilotDb } from '../../db/db';
import { mutate } from '../../db/mutate';

/** Periods in date order (then name). */
export async function listPeriods(db: PilotDb): Promise<Period[]> {
  const all = await db.periods.toArray();
  return all.sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.name.localeCompare(b.name, 'zh-CN'));
}

export interface PeriodInput {
  name: string;
  kind: PeriodKind;
  start: string;
  end: string;
}

/**
 * Creates a period (no `id`) or changes one — also one that came in a colleague's bundle: the change
 * is a newer version of the period, carried by the next bundle, and wins there over the older one
 * (see planSnapshotImport). Saving without a change writes nothing (it must not become a "newer"
 * version that would override a colleague's rename). Invalid input: a Chinese message, nothing written.
 */
export async function savePeriod(db: PilotDb, input: PeriodInput & { id?: string }, now: Date = new Date()): Promise<Result<Period>> {
  const errors = validatePeriod(input);
  const first = Object.values(errors)[0];
  if (first) return fail('period.invalid', first);
  const at = now.toISOString();
  let wrote = false;
  const write = () => db.transaction('rw', db.periods, async (): Promise<Result<Period>> => {
    const old = input.id ? await db.periods.get(input.id) : undefined;
    if (input.id && !old) return fail('period.not_found', '找不到这个评估期，可能已被删除。');
    const name = input.name.trim();
    const clash = (await db.periods.toArray()).find((p) => p.name === name && p.id !== input.id);
    if (clash) return fail('period.duplicate', `已有名为「${name}」的评估期，请换一个名称。`);
    if (old && old.name === name && old.kind === input.kind && old.start === input.start && old.end === input.end) return ok(old);
    const period: Period = { id: old?.id ?? crypto.randomUUID(), name, kind: input.kind, start: input.start, end: input.end, createdAt: old?.createdAt ?? at, updatedAt: nextPeriodStamp(old, now) };
    await db.periods.put(period);
    wrote = true;
    return ok(period);
  });
  return mutate('period', write, (r) => (r.ok && wrote ? { action: 'saved' as const, id: r.value.id } : null));
}

/** Deletes a period that has no snapshot (a period with snapshots is part of the record). */
export async function deletePeriod(db: PilotDb, id: string): Promise<Result<void>> {
  const write = () =>
    db.transaction('rw', db.periods, db.snapshots, async (): Promise<Result<void>> => {
      if ((await db.snapshots.where('periodId').equals(id).count()) > 0) return fail('period.has_snapshots', '这个评估期已有快照，不能删除。');
      await db.periods.delete(id);
      return ok(undefined);
    });
  return mutate('period', write, (r) => (r.ok ? { action: 'deleted' as const, id } : null));
}

/** Snapshots, newest first. */
export async function listSnapshots(db: PilotDb): Promise<Snapshot[]> {
  return (await db.snapshots.orderBy('frozenAt').toArray()).reverse();
}

/** The current data as snapshot entries (当前), read in one transaction. */
export async function currentEntries(db: PilotDb): Promise<SnapshotEntry[]> {
  const live = await db.transaction('r', db.annotations, db.evidence, db.logEntries, async () => {
    const [annotations, evidence, logEntries] = await Promise.all([db.annotations.toArray(), db.evidence.toArray(), db.logEntries.toArray()]);
    return { annotations, evidence, logEntries };
  });
  return freezeEntries(live);
}

/** Freezes every annotation (what was just typed included) into a new, read-only snapshot of `periodId`. */
export async function freezeNow(db: PilotDb, periodId: string, author: Author, corpusHash: string, now: Date = new Date()): Promise<Result<Snapshot>> {
  return mutate('period', () => freezeRows(db, periodId, author, corpusHash, now), (r) => (r.ok ? { action: 'frozen' as const, id: r.value.id } : null));
}

function freezeRows(db: PilotDb, periodId: string, author: Author, corpusHash: string, now: Date): Promise<Result<Snapshot>> {
  return db.transaction('rw', [db.periods, db.snapshots, db.annotations, db.evidence, db.logEntries], async (): Promise<Result<Snapshot>> => {
    if (!(await db.periods.get(periodId))) return fail('period.not_found', '请先选择一个评估期。');
    const [annotations, evidence, logEntries] = await Promise.all([db.annotations.toArray(), db.evidence.toArray(), db.logEntries.toArray()]);
    if (annotations.length === 0) return fail('snapshot.empty', '还没有任何批注，无需冻结快照。');
    const snapshot = freezeSnapshot({ annotations, evidence, logEntries }, { id: crypto.randomUUID(), periodId, frozenAt: now.toISOString(), author, corpusHash });
    await db.snapshots.add(snapshot);
    return ok(snapshot);
  });
}

/** `'current'` or a snapshot id. */
export type CompareSide = 'current' | string;

/** What changed from `older` to `newer` (each a snapshot id or 当前). */
export async function compareSides(db: PilotDb, older: CompareSide, newer: CompareSide, opts: { unitCodes?: readonly string[] } = {}): Promise<Result<SnapshotChanges>> {
  const side = async (s: CompareSide): Promise<{ entries: SnapshotEntry[] } | null> => (s === 'current' ? { entries: await currentEntries(db) } : ((await db.snapshots.get(s)) ?? null));
  const [a, b] = await Promise.all([side(older), side(newer)]);
  if (!a || !b) return fail('snapshot.not_found', '找不到所选快照。');
  return ok(compareSnapshots(a, b, opts));
}
