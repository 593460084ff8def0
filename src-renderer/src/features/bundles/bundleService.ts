/**
 * Bundles in the renderer: export what the person chose, and import a colleague's bundle —
 * verified off the main thread, previewed, applied in one transaction, recorded, and undoable.
 * The pure parts (zip, schema, merge) live in src-main/shared/bundle and serve the CLI too.
 */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { Annotation, Author, Evidence, LogEntry, Revision, Unit } from '../../../../src-main/shared/domain';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { planImport, resolveConflicts, type Decisions, type ImportPlan, type LocalState } from '../../../../src-main/shared/bundle/merge';
import { sha256HexAsync } from '../../../../src-main/shared/bundle/read';
import { selectForExport, writeBundle, type ExportScope } from '../../../../src-main/shared/bundle/write';
import { fail, ok, type AppError, type Result } from '../../../../src-main/shared/result';
import { samePeriod, type Period, type Snapshot } from '../../../../src-main/shared/snapshot/model';
import { planSnapshotImport, type SnapshotPlan } from '../../../../src-main/shared/snapshot/importPlan';
import { BUNDLED_TABLES, tablesOf, type AttachmentRecord, type ImportDetail, type ImportRecord, type ImportWithDetail, type PilotDb } from '../../db/db';
import { emitDataChange, settlePendingEdits } from '../../db/mutate';

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportRequest {
  scope: ExportScope;
  author: Author;
  appVersion: string;
  corpus: Corpus;
  now?: Date;
}

/** Every record an export or backup needs, with the files live evidence refers to. */
export interface AllRecords {
  units: Unit[];
  annotations: Annotation[];
  revisions: Revision[];
  logEntries: LogEntry[];
  evidence: Evidence[];
  files: AttachmentRecord[];
  periods: Period[];
  snapshots: Snapshot[];
}

/**
 * Reads every record in ONE read transaction, so the snapshot is consistent: a save between two
 * separate reads could give an annotation without its head revision. Called inside an outer
 * transaction over the same tables, it joins that one.
 */
export function readAllRecords(db: PilotDb): Promise<AllRecords> {
  return db.transaction('r', tablesOf(db, BUNDLED_TABLES), async () => {
    const [units, annotations, revisions, logEntries, evidence, periods, snapshots] = await Promise.all([
      db.units.toArray(),
      db.annotations.toArray(),
      db.revisions.toArray(),
      db.logEntries.toArray(),
      db.evidence.toArray(),
      db.periods.toArray(),
      db.snapshots.toArray(),
    ]);
    const wanted = [...new Set(evidence.filter((e) => !e.deleted && e.attachmentHash).map((e) => e.attachmentHash!))];
    const files = (await db.attachments.bulkGet(wanted)).filter((a): a is AttachmentRecord => !!a);
    return { units, annotations, revisions, logEntries, evidence, files, periods, snapshots };
  });
}

/** The stored files' bytes by hash (read after the transaction: Blob reads are not database work). */
export async function attachmentBytes(files: readonly AttachmentRecord[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const f of files) out.set(f.hash, new Uint8Array(await f.blob.arrayBuffer()));
  return out;
}

/** Builds the bundle bytes for a scope from the whole local database (what was just typed included). */
export async function buildExport(db: PilotDb, req: ExportRequest): Promise<Result<{ bytes: Uint8Array; counts: { annotations: number; units: string[] } }>> {
  await settlePendingEdits();
  const { files, ...records } = await readAllRecords(db);
  const attachments = await attachmentBytes(files);
  const selected = selectForExport({ ...records, attachments }, req.scope);
  if (!selected.ok) return selected;
  if (selected.value.annotations.length + selected.value.logEntries.length + selected.value.evidence.length === 0) {
    return fail('bundle.nothing_to_export', '所选范围内没有可导出的批注、进展记录或佐证材料。');
  }
  const createdAt = (req.now ?? new Date()).toISOString();
  const bytes = writeBundle({
    ...selected.value,
    manifest: {
      appVersion: req.appVersion,
      corpusHash: req.corpus.hash,
      author: req.author,
      createdAt,
      scope: req.scope.scope,
      ...(req.scope.scope === 'since' ? { since: req.scope.since } : {}),
    },
  });
  return ok({ bytes, counts: { annotations: selected.value.annotations.length, units: [...new Set(selected.value.annotations.map((a) => a.unitCode))] } });
}

const lastExportKey = (recipient: string) => `lastExport:${recipient.trim()}`;

/** When the last bundle for `recipient` was exported (ISO), or null. */
export async function lastExportTo(db: PilotDb, recipient: string): Promise<string | null> {
  const row = await db.meta.get(lastExportKey(recipient));
  return typeof row?.value === 'string' ? row.value : null;
}

/** Remembers an export to `recipient`, so the next one can carry only what changed since. */
export async function recordExport(db: PilotDb, recipient: string, at: string): Promise<void> {
  if (recipient.trim() === '') return;
  await db.meta.put({ key: lastExportKey(recipient), value: at, at });
}

/** Recipients exported to before, most recent first. */
export async function listRecipients(db: PilotDb): Promise<{ recipient: string; at: string }[]> {
  const rows = await db.meta.where('key').startsWith('lastExport:').toArray();
  return rows
    .map((r) => ({ recipient: r.key.slice('lastExport:'.length), at: String(r.value) }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

// ---------------------------------------------------------------------------------------------
// Import: local state, preview, apply, undo

/** The local rows a merge of `bundle` needs (see LocalState): only what its records touch. */
export async function loadLocalState(db: PilotDb, bundle: BundleContent): Promise<LocalState> {
  const keys = [...new Set(bundle.annotations.map((a) => a.key))];
  const [annotations, revisions, logEntries, evidence, units, files] = await Promise.all([
    db.annotations.bulkGet(keys),
    keys.length ? db.revisions.where('key').anyOf(keys).toArray() : Promise.resolve([] as Revision[]),
    db.logEntries.bulkGet(bundle.logEntries.map((e) => e.id)),
    db.evidence.bulkGet(bundle.evidence.map((e) => e.id)),
    db.units.toArray(),
    db.attachments.bulkGet([...bundle.attachments.keys()]),
  ]);
  return {
    annotations: new Map(annotations.filter((a): a is Annotation => !!a).map((a) => [a.key, a])),
    revisions: new Map(revisions.map((r) => [r.id, r])),
    logEntries: new Map(logEntries.filter((e): e is LogEntry => !!e).map((e) => [e.id, e])),
    evidence: new Map(evidence.filter((e): e is Evidence => !!e).map((e) => [e.id, e])),
    attachmentHashes: new Set(files.filter((f): f is AttachmentRecord => !!f).map((f) => f.hash)),
    units: new Map(units.map((u) => [u.code, u])),
  };
}

/**
 * An import preview: the merge plan, what happens to the bundle's periods and snapshots, and which
 * of the bundle's log entries / evidence were here at the preview — in the plan itself, as plain
 * lists, so a cloned or serialised plan still knows them (applyImport refuses a stale one by them).
 */
export type PreviewPlan = ImportPlan & { snapshots?: SnapshotPlan; localAtPreview: { logEntries: string[]; evidence: string[] } };

/** What importing the bundle's periods and snapshots would do (see planSnapshotImport). */
export async function previewSnapshots(db: PilotDb, bundle: Pick<BundleContent, 'periods' | 'snapshots'>): Promise<SnapshotPlan> {
  const ids = (bundle.snapshots ?? []).map((s) => s.id);
  const [periods, snapshots] = await Promise.all([db.periods.bulkGet((bundle.periods ?? []).map((p) => p.id)), db.snapshots.bulkGet(ids)]);
  return planSnapshotImport(
    {
      periods: new Map(periods.filter((p): p is Period => !!p).map((p) => [p.id, p])),
      snapshotHashes: new Map(snapshots.filter((s): s is Snapshot => !!s).map((s) => [s.id, s.hash])),
    },
    bundle,
  );
}

/** Key of backupService's META_LAST_RESTORE (the last restore from a backup, with its time in `at`). */
export const LAST_RESTORE_KEY = 'backups.lastRestore';

/** The hex sha-256 of a bundle file's bytes (WebCrypto where available: ~tens of ms for a city bundle). */
export function bundleSha256(bytes: Uint8Array): Promise<string> {
  return sha256HexAsync(bytes);
}

/**
 * The import of exactly this file (by its sha-256) that was applied here and not undone, if the
 * head revisions of all the bundle's annotations are still here — then everything the file carries
 * is here (imports add a bundle's full ancestry, log entries and evidence only ever get newer, and
 * undo removes only what its own import added and is marked on the record), so it needs neither
 * verifying nor previewing: 「本机都已有」. Otherwise null, and the file goes the full way.
 */
export async function findAppliedImport(db: PilotDb, sha256: string): Promise<ImportRecord | null> {
  const records = (await db.imports.where('bundleSha256').equals(sha256).toArray()).filter((r) => !r.undoneAt);
  if (!records.length) return null;
  // A restore from a backup replaces all data but keeps the import records: after one, no record
  // vouches for what is here (backupService's META_LAST_RESTORE; not imported, to avoid a cycle).
  const restoredAt = (await db.meta.get(LAST_RESTORE_KEY))?.at ?? '';
  const removals = await revisionRemovals(db);
  for (const rec of records.sort((a, b) => (a.at < b.at ? 1 : -1))) {
    if (restoredAt >= rec.at) continue;
    // No undo has removed a revision since this import was applied (restores are ruled out above):
    // every head it left here is still here, without asking for each (re-import at ×4 scale spent
    // most of its time in those 5,000 look-ups) — nor reading the import's lists (schema v5).
    if (rec.revisionRemovalsAtApply === removals) return rec;
    const heads = (await db.importDetails.get(rec.id))?.bundleHeads;
    if (!heads) continue;
    // Otherwise counted, not read: each head revision is a full snapshot with rich text, and reading them
    // back (bulkGet) was most of re-import's time at ×4 scale. One count per key in one
    // transaction (IDBObjectStore.count) measured 0.4–0.8× bulkGet's time at city scale; a
    // keys-only `anyOf(…).primaryKeys()` cursor was 8–15× slower than bulkGet.
    const want = [...new Set(heads)];
    const counts = await db.transaction('r', db.revisions, () => Promise.all(want.map((id) => db.revisions.where(':id').equals(id).count())));
    if (counts.every((n) => n === 1)) return rec;
  }
  return null;
}

/**
 * How many times revisions were removed here by undoing an import (the one other way they go is a
 * restore, which LAST_RESTORE_KEY dates). An import record keeps the count of its apply; while it is
 * unchanged, nothing the import left has gone. Written in the undo's transaction.
 */
export const REVISION_REMOVALS_KEY = 'imports.revisionRemovals';

async function revisionRemovals(db: PilotDb): Promise<number> {
  const v = (await db.meta.get(REVISION_REMOVALS_KEY))?.value;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
}

/** The way a bundle file goes: already here (see findAppliedImport), or verified and previewed. */
export type PreparedImport = { kind: 'present'; record: ImportRecord; sha256: string } | { kind: 'plan'; plan: PreviewPlan; sha256: string };

/**
 * What the app does with a bundle file the person chose: hash it; a file already imported here is
 * answered at once; anything else is verified (`verify`, off the main thread in the app — it may
 * take the bytes) and previewed. `beforePreview` runs between the two (the app saves the open
 * editor there). Writes nothing; pass `sha256` on to `applyImport`.
 */
export async function prepareImport(
  db: PilotDb,
  bytes: Uint8Array,
  verify: (bytes: Uint8Array) => Promise<Result<BundleContent>>,
  beforePreview?: () => Promise<void>,
): Promise<Result<PreparedImport>> {
  const sha256 = await bundleSha256(bytes);
  const record = await findAppliedImport(db, sha256);
  if (record) return ok({ kind: 'present', record, sha256 });
  const verified = await verify(bytes);
  if (!verified.ok) return verified;
  await beforePreview?.();
  return ok({ kind: 'plan', plan: await previewImport(db, verified.value), sha256 });
}

/** The preview of importing `bundle` into the local database. Writes nothing. */
export async function previewImport(db: PilotDb, bundle: BundleContent): Promise<PreviewPlan> {
  const [state, snapshots] = await Promise.all([loadLocalState(db, bundle), previewSnapshots(db, bundle)]);
  // Which of the rows to write were here at the preview: applyImport reads before-images of those
  // only, and adds the others (an add fails — and the transaction with it — if one appeared since).
  const localAtPreview = { logEntries: [...state.logEntries.keys()], evidence: [...state.evidence.keys()] };
  return { ...planImport(state, bundle), snapshots, localAtPreview };
}

export interface ApplyOutcome {
  importId: string | null;
  written: { annotations: number; revisions: number; logEntries: number; evidence: number; attachments: number };
}

const storageFailure = (e: unknown): Result<never> => {
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
export async function applyImport(
  db: PilotDb,
  plan: PreviewPlan,
  decisions: Decisions,
  ctx: { author: Author; fileName: string; now?: Date; bundleSha256?: string },
): Promise<Result<ApplyOutcome>> {
  const now = ctx.now ?? new Date();
  const ws = resolveConflicts(plan, decisions, ctx.author, now);
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
  if (Object.values(written).every((n) => n === 0) && w.units.length === 0 && bundlePeriods.length + snapshotPlan.newSnapshots.length === 0) {
    return ok({ importId: null, written });
  }

  // Blobs are made before the transaction: a transaction holds only database work.
  const files: AttachmentRecord[] = [];
  for (const [hash, bytes] of w.attachments) {
    const ev = w.evidence.find((e) => e.attachmentHash === hash);
    const name = ev?.fileName ?? hash;
    const mime = ev?.mime ?? 'application/octet-stream';
    files.push({ hash, name, mime, size: bytes.byteLength, blob: new Blob([bytes as BlobPart], { type: mime }), addedAt: now.toISOString() });
  }
  const summary = {
    created: plan.counts.total.new,
    updated: plan.counts.total.updated,
    unchanged: plan.counts.total.unchanged,
    conflicts: plan.counts.total.conflicts,
  };
  const id = crypto.randomUUID();
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
  try {
    const result = await db.transaction('rw', [db.units, db.annotations, db.revisions, db.logEntries, db.evidence, db.attachments, db.imports, db.importDetails, db.periods, db.snapshots, db.meta], async () => {
      // Snapshots again inside the transaction: one may have arrived since the preview.
      // Periods too: one may have been renamed here since (then the newer of the two still wins).
      const snaps = await previewSnapshots(db, { periods: bundlePeriods, snapshots: snapshotPlan.newSnapshots });
      if (snaps.conflict) throw new SnapshotConflict(snaps.conflict);
      const [beforeAnnotations, beforeLogs, beforeEvidence, existingUnits, existingMerges] = await Promise.all([
        db.annotations.bulkGet(w.annotations.map((a) => a.key)),
        db.logEntries.bulkGet(w.logEntries.filter((e) => isLocalLog(e.id)).map((e) => e.id)),
        db.evidence.bulkGet(w.evidence.filter((e) => isLocalEvidence(e.id)).map((e) => e.id)),
        db.units.bulkGet(w.units.map((u) => u.code)),
        db.revisions.bulkGet(mergeRevisions.map((r) => r.id)),
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
        ...(ctx.bundleSha256 ? { bundleSha256: ctx.bundleSha256, revisionRemovalsAtApply: await revisionRemovals(db) } : {}),
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
          logEntries: w.logEntries.map((e) => ({ id: e.id })),
          evidence: w.evidence.map((e) => ({ id: e.id })),
          revisionIds: newRevisions.map((r) => r.id),
          attachmentHashes: files.map((f) => f.hash),
          unitCodes: newUnits.map((u) => u.code),
          periodIds: snaps.newPeriods.map((p) => p.id),
          snapshotIds: snaps.newSnapshots.map((s) => s.id),
          periods: [...snaps.newPeriods, ...snaps.updatedPeriods.map((u) => u.theirs)],
        },
        ...(ctx.bundleSha256 ? { bundleHeads: plan.keys.map((k) => k.theirs.head) } : {}),
      };
      await db.periods.bulkAdd(snaps.newPeriods);
      await db.periods.bulkPut(snaps.updatedPeriods.map((u) => u.theirs));
      await db.snapshots.bulkAdd(snaps.newSnapshots);
      await db.units.bulkAdd(newUnits);
      await putOrAdd({ bulkPut: async () => undefined, bulkAdd: (r) => db.revisions.bulkAdd(r) }, newRevisions, () => false, 'revision');
      await db.annotations.bulkPut(w.annotations);
      await putOrAdd({ bulkPut: (r) => db.logEntries.bulkPut(r), bulkAdd: (r) => db.logEntries.bulkAdd(r) }, w.logEntries, isLocalLog, 'log entry');
      await putOrAdd({ bulkPut: (r) => db.evidence.bulkPut(r), bulkAdd: (r) => db.evidence.bulkAdd(r) }, w.evidence, isLocalEvidence, 'evidence');
      await db.attachments.bulkPut(files);
      await db.imports.add(record);
      await db.importDetails.add(detail);
      return null;
    });
    if (result) return result;
  } catch (e) {
    if (e instanceof SnapshotConflict) return { ok: false, error: e.error };
    return storageFailure(e);
  }
  await emitDataChange({ kind: 'import', action: 'applied', importId: id });
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
export async function undoImport(db: PilotDb, importId: string, by: Author, now: Date = new Date()): Promise<Result<{ restored: number }>> {
  const undone = await undoImportRows(db, importId, by, now);
  if (undone.ok) await emitDataChange({ kind: 'import', action: 'undone', importId });
  return undone;
}

async function undoImportRows(db: PilotDb, importId: string, by: Author, now: Date): Promise<Result<{ restored: number }>> {
  try {
    return await db.transaction('rw', [db.units, db.annotations, db.revisions, db.logEntries, db.evidence, db.attachments, db.imports, db.importDetails, db.periods, db.snapshots, db.meta], async () => {
      const [header, detail] = await Promise.all([db.imports.get(importId), db.importDetails.get(importId)]);
      if (!header) return fail('import.not_found', '找不到这次导入的记录。');
      if (header.undoneAt) return fail('import.already_undone', '这次导入已经撤销过了。');
      if (!detail?.before || !detail.after) return fail('import.no_detail', '这次导入的记录不完整（缺少导入前后的数据），无法撤销。');
      const rec = detail;
      const current = await db.annotations.bulkGet(rec.after.annotations.map((a) => a.key));
      const edited = rec.after.annotations.filter((a, i) => current[i]?.head !== a.head);
      if (edited.length > 0) {
        return fail(
          'import.changed_since',
          `导入后已有 ${edited.length} 条批注被再次修改（如 ${edited[0]!.taskId}），撤销会丢失这些修改，因此不能撤销。`,
          edited.map((a) => a.key).join(','),
        );
      }
      const beforeByKey = new Map(rec.before.annotations.map((a) => [a.key, a]));
      const beforeLogs = new Map(rec.before.logEntries.map((e) => [e.id, e]));
      const beforeEvidence = new Map(rec.before.evidence.map((e) => [e.id, e]));
      await db.annotations.bulkDelete(rec.after.annotations.filter((a) => !beforeByKey.has(a.key)).map((a) => a.key));
      await db.annotations.bulkPut(rec.before.annotations);
      await db.logEntries.bulkDelete(rec.after.logEntries.filter((e) => !beforeLogs.has(e.id)).map((e) => e.id));
      await db.logEntries.bulkPut(rec.before.logEntries);
      await db.evidence.bulkDelete(rec.after.evidence.filter((e) => !beforeEvidence.has(e.id)).map((e) => e.id));
      await db.evidence.bulkPut(rec.before.evidence);
      await db.revisions.bulkDelete(rec.after.revisionIds);
      await db.meta.put({ key: REVISION_REMOVALS_KEY, value: (await revisionRemovals(db)) + 1, at: now.toISOString() });
      // Files: only those no remaining evidence refers to.
      const stillUsed = new Set(
        (await db.evidence.where('attachmentHash').anyOf(rec.after.attachmentHashes.length ? rec.after.attachmentHashes : ['-']).toArray()).map(
          (e) => e.attachmentHash,
        ),
      );
      await db.attachments.bulkDelete(rec.after.attachmentHashes.filter((h) => !stillUsed.has(h)));
      const unitCodes = rec.after.unitCodes ?? [];
      if (unitCodes.length) {
        const stillAnnotated = await db.annotations.where('unitCode').anyOf(unitCodes).count();
        if (stillAnnotated === 0) await db.units.bulkDelete(unitCodes);
      }
      // Snapshots it added go; its periods too, unless a snapshot frozen here since belongs to one.
      // Periods it updated go back to the local version. A period edited here since the import (a
      // later rename) is left as it is: undoing the import must not undo that.
      await db.snapshots.bulkDelete(rec.after.snapshotIds ?? []);
      const written = rec.after.periods ? new Map(rec.after.periods.map((p) => [p.id, p])) : null;
      const unchangedSince = async (ids: string[]) => {
        if (!written) return ids;
        const now = await db.periods.bulkGet(ids);
        return ids.filter((id, i) => now[i] && samePeriod(now[i]!, written.get(id)!));
      };
      const periodIds = await unchangedSince(rec.after.periodIds ?? []);
      if (periodIds.length) {
        const used = new Set((await db.snapshots.where('periodId').anyOf(periodIds).toArray()).map((s) => s.periodId));
        await db.periods.bulkDelete(periodIds.filter((p) => !used.has(p)));
      }
      const restore = new Set(await unchangedSince((rec.before.periods ?? []).map((p) => p.id)));
      await db.periods.bulkPut((rec.before.periods ?? []).filter((p) => restore.has(p.id)));
      await db.imports.put({ ...header, undoneAt: now.toISOString(), undoneBy: { name: by.name, unitCode: by.unitCode } });
      return ok({ restored: rec.after.annotations.length });
    });
  } catch (e) {
    return storageFailure(e);
  }
}

/** Imports, newest first (the records, without their undo lists). */
export function listImports(db: PilotDb): Promise<ImportRecord[]> {
  return db.imports.orderBy('at').reverse().toArray();
}

/** Import `id` with its undo lists (absent if there is no such import; lists absent if it has none). */
export async function readImport(db: PilotDb, id: string): Promise<ImportWithDetail | undefined> {
  return db.transaction('r', [db.imports, db.importDetails], async () => {
    const [record, detail] = await Promise.all([db.imports.get(id), db.importDetails.get(id)]);
    if (!record) return undefined;
    const { id: _id, ...lists } = detail ?? ({} as Partial<ImportDetail>);
    return { ...record, ...lists } as ImportWithDetail;
  });
}

export type { Unit };
