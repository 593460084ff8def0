/**
 * Importing a bundle into a store (see store/types.ts): the local state a merge needs, the preview,
 * the apply in ONE transaction with the record that makes it undoable, and the undo. The app runs
 * it over its IndexedDB database (bundleService wraps it with the worker, the progress and the UI),
 * the command line over a memory store — so both merge by revision ancestry (bundle/merge.ts) in
 * exactly the same way. Expected failures are values with a Chinese message.
 */
import type { Annotation, Author, Evidence, LogEntry, Revision } from '../domain';
import type { BundleContent } from '../bundle/format';
import { planImport, resolveConflicts, type Decisions, type ImportPlan, type LocalState } from '../bundle/merge';
import { fail, ok, type AppError, type Result } from '../result';
import { newUnitProblem } from '../units';
import { samePeriod, type Period, type Snapshot } from '../snapshot/model';
import { planSnapshotImport, type SnapshotPlan } from '../snapshot/importPlan';
import { planRoundImport, roundPlanWrites, type RoundPlan } from '../rounds/importPlan';
import type { ImportDetail, ImportRecord, ImportStore, NewFile } from '../store/types';

/** The local rows a merge of `bundle` needs (see LocalState): only what its records touch. */
export async function loadLocalState(store: ImportStore, bundle: BundleContent): Promise<LocalState> {
  const keys = [...new Set(bundle.annotations.map((a) => a.key))];
  const [annotations, revisions, logEntries, evidence, units, files] = await Promise.all([
    store.annotations.bulkGet(keys),
    keys.length ? store.revisions.byAnnotation(keys) : Promise.resolve([] as Revision[]),
    store.logEntries.bulkGet(bundle.logEntries.map((e) => e.id)),
    store.evidence.bulkGet(bundle.evidence.map((e) => e.id)),
    store.units.toArray(),
    store.attachments.bulkGet([...bundle.attachments.keys()]),
  ]);
  return {
    annotations: new Map(annotations.filter((a): a is Annotation => !!a).map((a) => [a.key, a])),
    revisions: new Map(revisions.map((r) => [r.id, r])),
    logEntries: new Map(logEntries.filter((e): e is LogEntry => !!e).map((e) => [e.id, e])),
    evidence: new Map(evidence.filter((e): e is Evidence => !!e).map((e) => [e.id, e])),
    attachmentHashes: new Set(files.filter((f) => !!f).map((f) => f!.hash)),
    units: new Map(units.map((u) => [u.code, u])),
  };
}

/**
 * An import preview: the merge plan, what happens to the bundle's periods and snapshots, and which
 * of the bundle's log entries / evidence were here at the preview — in the plan itself, as plain
 * lists, so a cloned or serialised plan still knows them (applyImport refuses a stale one by them).
 */
export type PreviewPlan = ImportPlan & {
  snapshots?: SnapshotPlan;
  /** What happens to the bundle's rounds, receipts and review decisions (rounds/importPlan.ts). */
  rounds?: RoundPlan;
  localAtPreview: { logEntries: string[]; evidence: string[] };
  /**
   * Why this bundle must not be imported at all, though it verified (a row that would change hands,
   * a time that cannot be real): the preview shows it, applyImport refuses with it and writes nothing.
   */
  refusal?: AppError;
};

/** Before this no record of the pilot can exist: the plan (商资发〔2022〕209号) dates from 2022. */
export const EARLIEST_RECORD_TIME = '2022-01-01T00:00:00.000Z';
/** A record dated further ahead of this machine's clock than this is refused (clocks drift; a day is generous). */
export const MAX_CLOCK_AHEAD_MS = 24 * 3_600_000;

const refused = (detail: string, message: string): AppError => ({ code: 'import.refused', message: `${message}，已拒绝导入，本机数据没有任何改动。`, detail });

/**
 * A log entry's or evidence's id binds its task and unit: a bundle that brings an existing id for
 * another task or unit would take over a colleague's record (and, marked deleted and dated far
 * ahead, erase it for good). Refused as a whole.
 */
function ownershipRefusal(state: LocalState, bundle: BundleContent): AppError | null {
  const check = (what: string, local: Map<string, { taskId: string; unitCode: string }>, theirs: readonly { id: string; taskId: string; unitCode: string }[]) => {
    for (const t of theirs) {
      const l = local.get(t.id);
      if (l && (l.taskId !== t.taskId || l.unitCode !== t.unitCode)) {
        return refused(
          `${what} ${t.id}: ${l.taskId}/${l.unitCode} → ${t.taskId}/${t.unitCode}`,
          `批注包中的一条${what}与本机已有记录编号相同，却属于另一任务或单位（本机：${l.taskId}，单位 ${l.unitCode}；批注包：${t.taskId}，单位 ${t.unitCode}），可能被改动过`,
        );
      }
    }
    return null;
  };
  return check('进展记录', state.logEntries, bundle.logEntries) ?? check('佐证材料', state.evidence, bundle.evidence);
}

/** Units the bundle would add: well-formed codes, printable names, none named like a unit already here (units.ts). */
function unitRefusal(state: LocalState, bundle: BundleContent): AppError | null {
  const known = [...(state.units?.values() ?? [])];
  for (const u of bundle.units) {
    if (state.units?.has(u.code)) continue;
    const problem = newUnitProblem(u, known);
    if (problem) return refused(`unit ${u.code}`, `批注包要添加的${problem}，可能是冒充的单位`);
    known.push(u);
  }
  return null;
}

/** Every time a bundle's records carry is after the plan began and not more than a day ahead of `now`. */
export function timeRefusal(bundle: BundleContent, now: Date): AppError | null {
  const latest = new Date(now.getTime() + MAX_CLOCK_AHEAD_MS).toISOString();
  const times: [string, string][] = [['批注包的导出时间', bundle.manifest.createdAt]];
  for (const a of bundle.annotations) times.push([`批注（${a.taskId}）的修改时间`, a.updatedAt]);
  for (const r of bundle.revisions) times.push([`修订记录（${r.taskId}）的时间`, r.at]);
  for (const e of bundle.logEntries) times.push([`进展记录（${e.taskId}）的时间`, e.createdAt], [`进展记录（${e.taskId}）的修改时间`, e.updatedAt]);
  for (const e of bundle.evidence) times.push([`佐证材料「${e.title}」的时间`, e.createdAt], [`佐证材料「${e.title}」的修改时间`, e.updatedAt]);
  for (const p of bundle.periods ?? []) times.push([`评估期「${p.name}」的修改时间`, p.updatedAt]);
  for (const s of bundle.snapshots ?? []) times.push(['快照的冻结时间', s.frozenAt]);
  for (const [what, t] of times) {
    // ISO timestamps in UTC compare as text (the schemas accept no other form).
    if (t < EARLIEST_RECORD_TIME) return refused(`${what}: ${t}`, `批注包中${what}（${t.slice(0, 10)}）早于试点方案印发，不可能是真实记录`);
    if (t > latest) return refused(`${what}: ${t}`, `批注包中${what}（${t.slice(0, 10)}）晚于本机当前时间一天以上，可能是伪造的，或对方电脑的日期设置有误`);
  }
  return null;
}

/** What importing the bundle's periods and snapshots would do (see planSnapshotImport). */
export async function previewSnapshots(store: ImportStore, bundle: Pick<BundleContent, 'periods' | 'snapshots'>): Promise<SnapshotPlan> {
  const ids = (bundle.snapshots ?? []).map((s) => s.id);
  const [periods, snapshots] = await Promise.all([store.periods.bulkGet((bundle.periods ?? []).map((p) => p.id)), store.snapshots.bulkGet(ids)]);
  return planSnapshotImport(
    {
      periods: new Map(periods.filter((p): p is Period => !!p).map((p) => [p.id, p])),
      snapshotHashes: new Map(snapshots.filter((s): s is Snapshot => !!s).map((s) => [s.id, s.hash])),
    },
    bundle,
  );
}

/** What importing the bundle's rounds, receipts and review decisions would do (see planRoundImport). */
export async function previewRounds(store: ImportStore, bundle: Pick<BundleContent, 'manifest' | 'rounds' | 'submissions' | 'reviews'>): Promise<RoundPlan> {
  const reviewId = bundle.manifest.kind === 'review' ? bundle.manifest.round?.reviewId : undefined;
  const [rounds, submissions, reviews, seen] = await Promise.all([
    store.rounds.toArray(),
    store.submissions.toArray(),
    store.reviews.bulkGet((bundle.reviews ?? []).map((d) => d.id)),
    reviewId ? store.reviews.byReview(reviewId) : Promise.resolve([]),
  ]);
  return planRoundImport(
    {
      rounds: new Map(rounds.map((r) => [r.id, r])),
      submissions,
      reviews: new Map(reviews.filter((d) => !!d).map((d) => [d!.id, d!])),
      reviewIdSeen: seen.length > 0,
    },
    bundle,
  );
}

/** The preview of importing `bundle` into the store. Writes nothing. */
export async function previewImport(store: ImportStore, bundle: BundleContent, now: Date = new Date()): Promise<PreviewPlan> {
  const [state, snapshots, rounds] = await Promise.all([loadLocalState(store, bundle), previewSnapshots(store, bundle), previewRounds(store, bundle)]);
  const refusal = rounds.refusal ?? ownershipRefusal(state, bundle) ?? unitRefusal(state, bundle) ?? timeRefusal(bundle, now);
  // Which of the rows to write were here at the preview: applyImport reads before-images of those
  // only, and adds the others (an add fails — and the transaction with it — if one appeared since).
  const localAtPreview = { logEntries: [...state.logEntries.keys()], evidence: [...state.evidence.keys()] };
  return { ...planImport(state, bundle), snapshots, rounds, localAtPreview, ...(refusal ? { refusal } : {}) };
}

/**
 * How many times revisions were removed here by undoing an import (the one other way they go is a
 * restore, which the app dates separately). An import record keeps the count of its apply; while it
 * is unchanged, nothing the import left has gone. Written in the undo's transaction.
 */
export const REVISION_REMOVALS_KEY = 'imports.revisionRemovals';

export async function revisionRemovals(store: Pick<ImportStore, 'meta'>): Promise<number> {
  const v = (await store.meta.get(REVISION_REMOVALS_KEY))?.value;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
}

export interface ApplyOutcome {
  importId: string | null;
  written: { annotations: number; revisions: number; logEntries: number; evidence: number; attachments: number };
}

export interface ApplyContext {
  author: Author;
  fileName: string;
  now?: Date;
  bundleSha256?: string;
  /** For conflicting fields without a decision (the command line); without it every conflict needs one. */
  prefer?: 'mine' | 'theirs';
  /**
   * `updatedAt` of merged annotations: the time of the import (the app: when it arrived here), or
   * the merge revision's own `at`, the later of the two sides (the command line, which has no
   * "here": the same files then give the same data, and `--as-of` counts a merge from its edits).
   */
  mergesDated?: 'now' | 'merge';
  /** Id of the import record (default: a random UUID). */
  newId?: () => string;
  /**
   * Told how far the write has got, in rows (`done` of `total`), after each table is written inside
   * the transaction — all of it still rolls back should a later step fail.
   */
  onProgress?: (p: ApplyProgress) => void;
  /** Checked before the transaction begins: an aborted import writes nothing (`import.cancelled`). */
  signal?: { readonly aborted: boolean };
}

export interface ApplyProgress {
  done: number;
  total: number;
}

export const cancelledFailure = (): Result<never> => fail('import.cancelled', '已取消，导入未进行，本机数据没有任何改动。', 'cancelled');

/** A failed import transaction as a Chinese message: the plan went stale, the disk is full, or the write failed. */
const importStorageFailure = (e: unknown): Result<never> => {
  const err = e as { name?: string; inner?: { name?: string }; message?: string };
  if (e instanceof StaleRowError) return staleFailure(e.message);
  if (err?.name === 'QuotaExceededError' || err?.inner?.name === 'QuotaExceededError') {
    return fail('db.quota', '磁盘空间不足，导入未完成，本机数据没有任何改动。请清理磁盘空间后重试。', String(err?.message));
  }
  return fail('import.write_failed', '导入未完成：写入本地数据库时出错，本机数据没有任何改动。请重试。', `${err?.name}: ${err?.message}`);
};

/** A row the preview did not see is here now (another window, a restore): the plan no longer holds. */
class StaleRowError extends Error {}

const staleFailure = (detail: string): Result<never> =>
  fail('import.stale_preview', '预览之后本机数据又有了改动，导入未进行，本机数据没有任何改动。请重新选择批注包导入。', detail);

/** Puts the rows that were local at the preview, adds the others (throws StaleRowError if one is here). */
async function putOrAdd<T extends { id: string }>(
  table: { bulkPut(rows: readonly T[]): Promise<unknown>; bulkAdd(rows: readonly T[]): Promise<unknown> },
  rows: readonly T[],
  isLocal: (id: string) => boolean,
  what: string,
): Promise<void> {
  const put: T[] = [];
  const add: T[] = [];
  for (const r of rows) (isLocal(r.id) ? put : add).push(r);
  await table.bulkPut(put);
  try {
    await table.bulkAdd(add);
  } catch (e) {
    const err = e as { name?: string; failures?: { name?: string }[] };
    if (err?.name === 'ConstraintError' || err?.failures?.some((f) => f?.name === 'ConstraintError')) throw new StaleRowError(`${what} added since the preview`);
    throw e;
  }
}

/**
 * Applies a previewed import: resolves the conflicts with the person's decisions, then writes
 * everything in ONE transaction — all or nothing — together with the import record that undo
 * uses. Importing something already here writes nothing and records nothing.
 */
export async function applyImport(store: ImportStore, plan: PreviewPlan, decisions: Decisions, ctx: ApplyContext): Promise<Result<ApplyOutcome>> {
  if (plan.refusal) return { ok: false, error: plan.refusal };
  const now = ctx.now ?? new Date();
  const ws = resolveConflicts(plan, decisions, ctx.author, now, { ...(ctx.prefer ? { default: ctx.prefer } : {}), ...(ctx.mergesDated ? { mergesDated: ctx.mergesDated } : {}) });
  if (!ws.ok) return ws;
  const w = ws.value;
  const written = {
    annotations: w.annotations.length,
    revisions: w.revisions.length,
    logEntries: w.logEntries.length,
    evidence: w.evidence.length,
    attachments: w.attachments.size,
  };
  if (plan.snapshots?.conflict) return { ok: false, error: plan.snapshots.conflict };
  const snapshotPlan = plan.snapshots ?? { newPeriods: [], updatedPeriods: [], newSnapshots: [] };
  const bundlePeriods = [...snapshotPlan.newPeriods, ...snapshotPlan.updatedPeriods.map((u) => u.theirs)];
  if (Object.values(written).every((n) => n === 0) && w.units.length === 0 && bundlePeriods.length + snapshotPlan.newSnapshots.length === 0 && !roundPlanWrites(plan.rounds)) {
    return ok({ importId: null, written });
  }

  const files: NewFile[] = [];
  for (const [hash, bytes] of w.attachments) {
    const ev = w.evidence.find((e) => e.attachmentHash === hash);
    const name = ev?.fileName ?? hash;
    const mime = ev?.mime ?? 'application/octet-stream';
    files.push({ hash, name, mime, size: bytes.byteLength, bytes, addedAt: now.toISOString() });
  }
  const summary = {
    created: plan.counts.total.new,
    updated: plan.counts.total.updated,
    unchanged: plan.counts.total.unchanged,
    conflicts: plan.counts.total.conflicts,
  };
  const id = (ctx.newId ?? (() => crypto.randomUUID()))();
  // The plan's revisions are those the preview did not find here (it loaded every local revision
  // of the bundle's keys); merge revisions have content-derived ids and may exist already. Only
  // the latter are looked up; the rest are added with bulkAdd, which aborts the whole transaction
  // (zero rows) should one have appeared since the preview.
  const planned = new Set(plan.revisions.map((r) => r.id));
  const mergeRevisions = w.revisions.filter((r) => !planned.has(r.id));
  const mineHeads = new Map(plan.keys.map((k) => [k.key, k.mine?.head ?? null]));
  // Log entries / evidence: those the preview found here get a before-image (read in the
  // transaction); the rest are added — an add of a row that appeared since fails the whole import.
  // A plan without the lists (not made by previewImport) counts nothing as local: a row that is
  // here then fails its add, and the import is refused as stale rather than overwriting it.
  const localLogs = new Set(plan.localAtPreview?.logEntries ?? []);
  const localEvidence = new Set(plan.localAtPreview?.evidence ?? []);
  const isLocalLog = (id: string) => localLogs.has(id);
  const isLocalEvidence = (id: string) => localEvidence.has(id);
  if (ctx.signal?.aborted) return cancelledFailure();
  try {
    const result = await store.transaction('rw', async () => {
      // Snapshots again inside the transaction: one may have arrived since the preview.
      // Periods too: one may have been renamed here since (then the newer of the two still wins).
      const snaps = await previewSnapshots(store, { periods: bundlePeriods, snapshots: snapshotPlan.newSnapshots });
      if (snaps.conflict) throw new SnapshotConflict(snaps.conflict);
      // Rounds again too: a receipt or review may have arrived since the preview (a second window).
      const roundPlan = plan.rounds
        ? await previewRounds(store, {
            manifest: plan.manifest,
            rounds: [...plan.rounds.newRounds, ...plan.rounds.updatedRounds.map((u) => u.theirs)],
            submissions: plan.rounds.newSubmissions,
            reviews: plan.rounds.newReviews,
          })
        : null;
      if (roundPlan?.refusal) throw new SnapshotConflict(roundPlan.refusal);
      const [beforeAnnotations, beforeLogs, beforeEvidence, existingUnits, existingMerges] = await Promise.all([
        store.annotations.bulkGet(w.annotations.map((a) => a.key)),
        store.logEntries.bulkGet(w.logEntries.filter((e) => isLocalLog(e.id)).map((e) => e.id)),
        store.evidence.bulkGet(w.evidence.filter((e) => isLocalEvidence(e.id)).map((e) => e.id)),
        store.units.bulkGet(w.units.map((u) => u.code)),
        store.revisions.bulkGet(mergeRevisions.map((r) => r.id)),
      ]);
      // The plan was made against the heads the preview saw: if one moved, it no longer holds.
      if (beforeAnnotations.some((a, i) => (a?.head ?? null) !== (mineHeads.get(w.annotations[i]!.key) ?? null))) {
        return staleFailure('local head moved since the preview');
      }
      const newUnits = w.units.filter((_u, i) => !existingUnits[i]);
      const existingMerge = new Set(mergeRevisions.filter((_r, i) => !!existingMerges[i]).map((r) => r.id));
      const newRevisions = w.revisions.filter((r) => !existingMerge.has(r.id));
      const record: ImportRecord = {
        id,
        at: now.toISOString(),
        fileName: ctx.fileName,
        author: plan.manifest.author,
        summary,
        ...(ctx.bundleSha256 ? { bundleSha256: ctx.bundleSha256, revisionRemovalsAtApply: await revisionRemovals(store) } : {}),
      };
      const detail: ImportDetail = {
        id,
        before: {
          annotations: beforeAnnotations.filter((a): a is Annotation => !!a),
          logEntries: beforeLogs.filter((e): e is LogEntry => !!e),
          evidence: beforeEvidence.filter((e): e is Evidence => !!e),
          periods: snaps.updatedPeriods.map((u) => u.before),
        },
        after: {
          annotations: w.annotations.map((a) => ({ key: a.key, taskId: a.taskId, unitCode: a.unitCode, head: a.head })),
          logEntries: w.logEntries.map((e) => ({ id: e.id, updatedAt: e.updatedAt })),
          evidence: w.evidence.map((e) => ({ id: e.id, updatedAt: e.updatedAt })),
          revisionIds: newRevisions.map((r) => r.id),
          attachmentHashes: files.map((f) => f.hash),
          unitCodes: newUnits.map((u) => u.code),
          periodIds: snaps.newPeriods.map((p) => p.id),
          snapshotIds: snaps.newSnapshots.map((s) => s.id),
          periods: [...snaps.newPeriods, ...snaps.updatedPeriods.map((u) => u.theirs)],
          roundIds: roundPlan?.newRounds.map((r) => r.id) ?? [],
          submissionIds: roundPlan?.newSubmissions.map((s) => s.id) ?? [],
          reviewIds: roundPlan?.newReviews.map((d) => d.id) ?? [],
        },
        ...(ctx.bundleSha256 ? { bundleHeads: plan.keys.map((k) => k.theirs.head) } : {}),
      };
      await store.periods.bulkAdd(snaps.newPeriods);
      await store.periods.bulkPut(snaps.updatedPeriods.map((u) => u.theirs));
      await store.snapshots.bulkAdd(snaps.newSnapshots);
      if (roundPlan) {
        await store.rounds.bulkAdd(roundPlan.newRounds);
        await store.rounds.bulkPut(roundPlan.updatedRounds.map((u) => u.theirs));
        await store.submissions.bulkAdd(roundPlan.newSubmissions);
        await store.reviews.bulkAdd(roundPlan.newReviews);
      }
      await store.units.bulkAdd(newUnits);
      const total = newRevisions.length + w.annotations.length + w.logEntries.length + w.evidence.length + files.length;
      let done = 0;
      const step = (n: number) => ctx.onProgress?.({ done: (done += n), total });
      step(0);
      await putOrAdd({ bulkPut: async () => undefined, bulkAdd: (r) => store.revisions.bulkAdd(r) }, newRevisions, () => false, 'revision');
      step(newRevisions.length);
      await store.annotations.bulkPut(w.annotations);
      step(w.annotations.length);
      await putOrAdd(store.logEntries, w.logEntries, isLocalLog, 'log entry');
      step(w.logEntries.length);
      await putOrAdd(store.evidence, w.evidence, isLocalEvidence, 'evidence');
      step(w.evidence.length);
      await store.attachments.bulkPut(files);
      step(files.length);
      await store.imports.bulkAdd([record]);
      await store.importDetails.bulkAdd([detail]);
      return null;
    });
    if (result) return result;
  } catch (e) {
    if (e instanceof SnapshotConflict) return { ok: false, error: e.error };
    return importStorageFailure(e);
  }
  return ok({ importId: id, written });
}

/** Aborts the import transaction (nothing written) when a snapshot turns out to conflict. */
class SnapshotConflict extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/**
 * Undoes an import exactly: the rows it wrote go back to how they were (or away, if it created
 * them), the revisions and files it added are removed. Refused when an annotation it wrote has
 * been edited since (undoing would throw that work away). The record stays, marked undone.
 */
export async function undoImport(store: ImportStore, importId: string, by: Author, now: Date = new Date()): Promise<Result<{ restored: number }>> {
  try {
    return await store.transaction('rw', async () => {
      const [header, detail] = await Promise.all([store.imports.get(importId), store.importDetails.get(importId)]);
      if (!header) return fail('import.not_found', '找不到这次导入的记录。');
      if (header.undoneAt) return fail('import.already_undone', '这次导入已经撤销过了。');
      if (!detail?.before || !detail.after) return fail('import.no_detail', '这次导入的记录不完整（缺少导入前后的数据），无法撤销。');
      const rec = detail;
      const current = await store.annotations.bulkGet(rec.after.annotations.map((a) => a.key));
      const edited = rec.after.annotations.filter((a, i) => current[i]?.head !== a.head);
      if (edited.length > 0) {
        return fail(
          'import.changed_since',
          `导入后已有 ${edited.length} 条批注被再次修改（如 ${edited[0]!.taskId}），撤销会丢失这些修改，因此不能撤销。`,
          edited.map((a) => a.key).join(','),
        );
      }
      // Log entries and evidence too: one changed since (edited here, or updated by a later import)
      // would be thrown away. Records of imports from before this check carry no times: not checked.
      const [logsNow, evidenceNow] = await Promise.all([
        store.logEntries.bulkGet(rec.after.logEntries.map((e) => e.id)),
        store.evidence.bulkGet(rec.after.evidence.map((e) => e.id)),
      ]);
      const changedLogs = rec.after.logEntries.filter((e, i) => e.updatedAt !== undefined && logsNow[i]?.updatedAt !== e.updatedAt);
      const changedEvidence = rec.after.evidence.filter((e, i) => e.updatedAt !== undefined && evidenceNow[i]?.updatedAt !== e.updatedAt);
      if (changedLogs.length + changedEvidence.length > 0) {
        const what = [changedLogs.length ? `${changedLogs.length} 条进展记录` : '', changedEvidence.length ? `${changedEvidence.length} 条佐证材料` : ''].filter(Boolean).join('和');
        return fail(
          'import.changed_since',
          `导入后已有${what}被再次修改（在本机，或由之后的导入），撤销会丢失这些修改，因此不能撤销。`,
          [...changedLogs, ...changedEvidence].map((e) => e.id).join(','),
        );
      }
      const beforeByKey = new Map(rec.before.annotations.map((a) => [a.key, a]));
      const beforeLogs = new Map(rec.before.logEntries.map((e) => [e.id, e]));
      const beforeEvidence = new Map(rec.before.evidence.map((e) => [e.id, e]));
      await store.annotations.bulkDelete(rec.after.annotations.filter((a) => !beforeByKey.has(a.key)).map((a) => a.key));
      await store.annotations.bulkPut(rec.before.annotations);
      await store.logEntries.bulkDelete(rec.after.logEntries.filter((e) => !beforeLogs.has(e.id)).map((e) => e.id));
      await store.logEntries.bulkPut(rec.before.logEntries);
      await store.evidence.bulkDelete(rec.after.evidence.filter((e) => !beforeEvidence.has(e.id)).map((e) => e.id));
      await store.evidence.bulkPut(rec.before.evidence);
      await store.revisions.bulkDelete(rec.after.revisionIds);
      await store.meta.put({ key: REVISION_REMOVALS_KEY, value: (await revisionRemovals(store)) + 1, at: now.toISOString() });
      // Files: only those no remaining evidence refers to.
      const stillUsed = new Set((await store.evidence.byAttachment(rec.after.attachmentHashes)).map((e) => e.attachmentHash));
      await store.attachments.bulkDelete(rec.after.attachmentHashes.filter((h) => !stillUsed.has(h)));
      const unitCodes = rec.after.unitCodes ?? [];
      if (unitCodes.length) {
        const stillAnnotated = await store.annotations.countByUnit(unitCodes);
        if (stillAnnotated === 0) await store.units.bulkDelete(unitCodes);
      }
      // Snapshots it added go; its periods too, unless a snapshot frozen here since belongs to one.
      // Periods it updated go back to the local version. A period edited here since the import (a
      // later rename) is left as it is: undoing the import must not undo that.
      await store.snapshots.bulkDelete(rec.after.snapshotIds ?? []);
      // Rounds, receipts and decisions it added go (rounds it only updated keep the newer version).
      await store.reviews.bulkDelete(rec.after.reviewIds ?? []);
      await store.submissions.bulkDelete(rec.after.submissionIds ?? []);
      await store.rounds.bulkDelete(rec.after.roundIds ?? []);
      const written = rec.after.periods ? new Map(rec.after.periods.map((p) => [p.id, p])) : null;
      const unchangedSince = async (ids: string[]) => {
        if (!written) return ids;
        const now = await store.periods.bulkGet(ids);
        return ids.filter((id, i) => now[i] && samePeriod(now[i]!, written.get(id)!));
      };
      const periodIds = await unchangedSince(rec.after.periodIds ?? []);
      if (periodIds.length) {
        const used = new Set((await store.snapshots.byPeriod(periodIds)).map((s) => s.periodId));
        await store.periods.bulkDelete(periodIds.filter((p) => !used.has(p)));
      }
      const restore = new Set(await unchangedSince((rec.before.periods ?? []).map((p) => p.id)));
      await store.periods.bulkPut((rec.before.periods ?? []).filter((p) => restore.has(p.id)));
      await store.imports.put({ ...header, undoneAt: now.toISOString(), undoneBy: { name: by.name, unitCode: by.unitCode } });
      return ok({ restored: rec.after.annotations.length });
    });
  } catch (e) {
    return importStorageFailure(e);
  }
}
