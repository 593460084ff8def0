/**
 * Evaluation periods and snapshots over the storage interface (store/types.ts): define and edit
 * periods, freeze a snapshot of every annotation (read in one transaction, so it is consistent),
 * list them, and compare two snapshots or a snapshot with the current data. The app runs it over its
 * IndexedDB store (renderer `features/periods/periodService.ts` adds the write path's change event);
 * tests and the command line over the in-memory store.
 *
 * Snapshots are never edited or deleted here. A snapshot is the record of what was reported for a
 * period; once exported it lives in colleagues' databases too, and a deleted one would come back
 * with their next bundle anyway. A mistaken freeze is corrected by freezing again.
 */
import type { Author } from '../domain';
import { fail, ok, type Result } from '../result';
import { compareSnapshots, type SnapshotChanges } from '../snapshot/compare';
import { freezeEntries, freezeSnapshot, nextPeriodStamp, validatePeriod, type Period, type PeriodKind, type Snapshot, type SnapshotEntry } from '../snapshot/model';
import { markRevisionsShared } from './revisionWindow';
import type { ImportStore } from '../store/types';

/** The tables the period service uses. */
export type PeriodStore = Pick<ImportStore, 'periods' | 'snapshots' | 'annotations' | 'evidence' | 'logEntries' | 'meta' | 'transaction'>;

export interface PeriodInput {
  name: string;
  kind: PeriodKind;
  start: string;
  end: string;
}

/** Clock and id source (tests fix both). */
export interface PeriodContext {
  now?: Date;
  newId?: () => string;
}

/** Periods in date order (then name). */
export async function listPeriods(store: PeriodStore): Promise<Period[]> {
  const all = await store.periods.toArray();
  return all.sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * Creates a period (no `id`) or changes one — also one that came in a colleague's bundle: the change
 * is a newer version of the period, carried by the next bundle, and wins there over the older one
 * (see planSnapshotImport). Saving without a change writes nothing (it must not become a "newer"
 * version that would override a colleague's rename): `wrote` says whether it wrote. Invalid input:
 * a Chinese message, nothing written.
 */
export async function savePeriod(store: PeriodStore, input: PeriodInput & { id?: string }, ctx: PeriodContext = {}): Promise<Result<{ period: Period; wrote: boolean }>> {
  const errors = validatePeriod(input);
  const first = Object.values(errors)[0];
  if (first) return fail('period.invalid', first);
  const now = ctx.now ?? new Date();
  const at = now.toISOString();
  return store.transaction('rw', async () => {
    const old = input.id ? await store.periods.get(input.id) : undefined;
    if (input.id && !old) return fail('period.not_found', '找不到这个评估期，可能已被删除。');
    const name = input.name.trim();
    const clash = (await store.periods.toArray()).find((p) => p.name === name && p.id !== input.id);
    if (clash) return fail('period.duplicate', `已有名为「${name}」的评估期，请换一个名称。`);
    if (old && old.name === name && old.kind === input.kind && old.start === input.start && old.end === input.end) return ok({ period: old, wrote: false });
    const period: Period = {
      id: old?.id ?? (ctx.newId ?? (() => crypto.randomUUID()))(),
      name,
      kind: input.kind,
      start: input.start,
      end: input.end,
      createdAt: old?.createdAt ?? at,
      updatedAt: nextPeriodStamp(old, now),
    };
    await store.periods.put(period);
    return ok({ period, wrote: true });
  });
}

/** Deletes a period that has no snapshot (a period with snapshots is part of the record). */
export async function deletePeriod(store: PeriodStore, id: string): Promise<Result<void>> {
  return store.transaction('rw', async () => {
    if ((await store.snapshots.byPeriod([id])).length > 0) return fail('period.has_snapshots', '这个评估期已有快照，不能删除。');
    await store.periods.bulkDelete([id]);
    return ok(undefined);
  });
}

/** Snapshots, newest first. */
export async function listSnapshots(store: PeriodStore): Promise<Snapshot[]> {
  return (await store.snapshots.toArray()).sort((a, b) => b.frozenAt.localeCompare(a.frozenAt));
}

/** The current data as snapshot entries (当前), read in one transaction. */
export async function currentEntries(store: PeriodStore): Promise<SnapshotEntry[]> {
  const live = await store.transaction('r', async () => {
    const [annotations, evidence, logEntries] = await Promise.all([store.annotations.toArray(), store.evidence.toArray(), store.logEntries.toArray()]);
    return { annotations, evidence, logEntries };
  });
  return freezeEntries(live);
}

/** Freezes every annotation into a new, read-only snapshot of `periodId`. */
export async function freezeSnapshotOf(store: PeriodStore, periodId: string, author: Author, corpusHash: string, ctx: PeriodContext = {}): Promise<Result<Snapshot>> {
  const now = ctx.now ?? new Date();
  return store.transaction('rw', async (): Promise<Result<Snapshot>> => {
    if (!(await store.periods.get(periodId))) return fail('period.not_found', '请先选择一个评估期。');
    const [annotations, evidence, logEntries] = await Promise.all([store.annotations.toArray(), store.evidence.toArray(), store.logEntries.toArray()]);
    if (annotations.length === 0) return fail('snapshot.empty', '还没有任何批注，无需冻结快照。');
    // A snapshot records the heads by id: they are never amended afterwards (revisionWindow.ts).
    await markRevisionsShared(store.meta, now);
    const id = (ctx.newId ?? (() => crypto.randomUUID()))();
    const snapshot = freezeSnapshot({ annotations, evidence, logEntries }, { id, periodId, frozenAt: now.toISOString(), author, corpusHash });
    await store.snapshots.bulkAdd([snapshot]);
    return ok(snapshot);
  });
}

/** `'current'` or a snapshot id. */
export type CompareSide = 'current' | string;

/** What changed from `older` to `newer` (each a snapshot id or 当前). */
export async function compareSides(store: PeriodStore, older: CompareSide, newer: CompareSide, opts: { unitCodes?: readonly string[] } = {}): Promise<Result<SnapshotChanges>> {
  const side = async (s: CompareSide): Promise<{ entries: SnapshotEntry[] } | null> => (s === 'current' ? { entries: await currentEntries(store) } : ((await store.snapshots.get(s)) ?? null));
  const [a, b] = await Promise.all([side(older), side(newer)]);
  if (!a || !b) return fail('snapshot.not_found', '找不到所选快照。');
  return ok(compareSnapshots(a, b, opts));
}
