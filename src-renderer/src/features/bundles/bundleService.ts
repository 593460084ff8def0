/**
 * Bundles in the renderer: export what the person chose, and import a colleague's bundle —
 * verified off the main thread, previewed, applied in one transaction, recorded, and undoable.
 * The pure parts (zip, schema, merge) live in src-main/shared/bundle, and the import itself
 * (preview, apply, undo over a store) in src-main/shared/services/importService.ts, run here over
 * the app's database (db/dexieStore.ts); they serve the CLI too.
 */
import type { Author, Unit } from '../../../../src-main/shared/domain';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import type { Decisions, LocalState } from '../../../../src-main/shared/bundle/merge';
import { sha256HexAsync } from '../../../../src-main/shared/hash';
import { ok, type Result } from '../../../../src-main/shared/result';
import type { SnapshotPlan } from '../../../../src-main/shared/snapshot/importPlan';
import * as exportService from '../../../../src-main/shared/services/exportService';
import * as importService from '../../../../src-main/shared/services/importService';
import type { AttachmentRecord, ImportDetail, ImportRecord, ImportWithDetail, PilotDb } from '../../db/db';
import { attachmentBytes as blobBytes, dexieStore } from '../../db/dexieStore';
import { emitDataChange, settlePendingEdits } from '../../db/mutate';

// ---------------------------------------------------------------------------------------------
// Export

export type ExportRequest = exportService.ExportRequest;

/** Every record an export or backup needs, with the files live evidence refers to. */
export type AllRecords = exportService.AllRecords<AttachmentRecord>;

/**
 * Reads every record in ONE read transaction, so the snapshot is consistent: a save between two
 * separate reads could give an annotation without its head revision. Called inside an outer
 * transaction over the same tables, it joins that one.
 */
export function readAllRecords(db: PilotDb): Promise<AllRecords> {
  return exportService.readAllRecords(dexieStore(db));
}

/** The stored files' bytes by hash (read after the transaction: Blob reads are not database work). */
export const attachmentBytes = blobBytes;

/** Builds the bundle bytes for a scope from the whole local database (what was just typed included). */
export async function buildExport(db: PilotDb, req: ExportRequest): Promise<Result<{ bytes: Uint8Array; counts: { annotations: number; units: string[] } }>> {
  await settlePendingEdits();
  return exportService.buildExport(dexieStore(db), req);
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
export function loadLocalState(db: PilotDb, bundle: BundleContent): Promise<LocalState> {
  return importService.loadLocalState(dexieStore(db), bundle);
}

/** An import preview: the merge plan, and what happens to the bundle's periods and snapshots. */
export type PreviewPlan = importService.PreviewPlan;

/** What importing the bundle's periods and snapshots would do (see planSnapshotImport). */
export function previewSnapshots(db: PilotDb, bundle: Pick<BundleContent, 'periods' | 'snapshots'>): Promise<SnapshotPlan> {
  return importService.previewSnapshots(dexieStore(db), bundle);
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

/** How many times undoing an import removed revisions here (see importService's REVISION_REMOVALS_KEY). */
export const REVISION_REMOVALS_KEY = importService.REVISION_REMOVALS_KEY;

function revisionRemovals(db: PilotDb): Promise<number> {
  return importService.revisionRemovals(dexieStore(db));
}

/** The way a bundle file goes: already here (see findAppliedImport), or verified and previewed. */
export type PreparedImport = { kind: 'present'; record: ImportRecord; sha256: string } | { kind: 'plan'; plan: PreviewPlan; sha256: string };

/**
 * What the app does with a bundle file the person chose: hash it; a file already imported here is
 * answered at once; anything else is verified (`verify`, off the main thread in the app — it may
 * take the bytes) and previewed. `beforePreview` runs between the two (the app saves the open
 * editor there). Writes nothing; pass `sha256` on to `applyImport`. Aborting `signal` (取消 while
 * it verifies) answers `import.cancelled` at the next step, and nothing is shown or written.
 */
export async function prepareImport(
  db: PilotDb,
  bytes: Uint8Array,
  verify: (bytes: Uint8Array) => Promise<Result<BundleContent>>,
  beforePreview?: () => Promise<void>,
  signal?: AbortSignal,
): Promise<Result<PreparedImport>> {
  const sha256 = await bundleSha256(bytes);
  if (signal?.aborted) return importService.cancelledFailure();
  const record = await findAppliedImport(db, sha256);
  if (record) return ok({ kind: 'present', record, sha256 });
  const verified = await verify(bytes);
  if (signal?.aborted) return importService.cancelledFailure();
  if (!verified.ok) return verified;
  await beforePreview?.();
  const plan = await previewImport(db, verified.value);
  if (signal?.aborted) return importService.cancelledFailure();
  // A bundle that verified but must not be imported (a record changing hands, an impossible time).
  if (plan.refusal) return { ok: false, error: plan.refusal };
  return ok({ kind: 'plan', plan, sha256 });
}

/** The preview of importing `bundle` into the local database. Writes nothing. */
export function previewImport(db: PilotDb, bundle: BundleContent): Promise<PreviewPlan> {
  return importService.previewImport(dexieStore(db), bundle);
}

export type ApplyOutcome = importService.ApplyOutcome;
/** How far an apply's write has got, in rows (see importService's ApplyContext.onProgress). */
export type ApplyProgress = importService.ApplyProgress;

/**
 * Applies a previewed import: resolves the conflicts with the person's decisions, then writes
 * everything in ONE transaction — all or nothing — together with the import record that undo
 * uses. Importing something already here writes nothing and records nothing. `onProgress` is told
 * the rows written so far; an aborted `signal` before the write begins writes nothing.
 */
export async function applyImport(
  db: PilotDb,
  plan: PreviewPlan,
  decisions: Decisions,
  ctx: { author: Author; fileName: string; now?: Date; bundleSha256?: string },
  opts: { onProgress?: (p: ApplyProgress) => void; signal?: AbortSignal } = {},
): Promise<Result<ApplyOutcome>> {
  const applied = await importService.applyImport(dexieStore(db), plan, decisions, {
    ...ctx,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (applied.ok && applied.value.importId) await emitDataChange({ kind: 'import', action: 'applied', importId: applied.value.importId });
  return applied;
}

/**
 * Undoes an import exactly: the rows it wrote go back to how they were (or away, if it created
 * them), the revisions and files it added are removed. Refused when an annotation it wrote has
 * been edited since (undoing would throw that work away). The record stays, marked undone.
 */
export async function undoImport(db: PilotDb, importId: string, by: Author, now: Date = new Date()): Promise<Result<{ restored: number }>> {
  const undone = await importService.undoImport(dexieStore(db), importId, by, now);
  if (undone.ok) await emitDataChange({ kind: 'import', action: 'undone', importId });
  return undone;
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
