/**
 * The heavy half of a backup, written to run in the backup worker (backup.worker.ts) over the same
 * IndexedDB database the page uses, opened there by name with the same schema module: read the whole
 * database in one transaction, zip it into a bundle, and — once main has written and read it back —
 * the full bundle check of the bytes on disk. Nothing here touches the page (no DOM, no IPC), so the
 * page keeps typing while it runs; where there are no workers (unit tests in jsdom) the same
 * functions run on the page (backupClient.ts).
 */
import type { Author } from '../../../../src-main/shared/domain';
import { selectForExport, writeBundle } from '../../../../src-main/shared/bundle/write';
import { readBundleAsync } from '../../../../src-main/shared/bundle/read';
import * as exportService from '../../../../src-main/shared/services/exportService';
import { fail, ok, type Result } from '../../../../src-main/shared/result';
import type { ReportDraft } from '../../../../src-main/shared/report/draft';
import type { ReportDraftRevision } from '../../../../src-main/shared/report/draftSchema';
import { tablesOf, type AttachmentRecord, type PilotDb } from '../../db/db';
import { attachmentBytes, dexieStore } from '../../db/dexieStore';

/**
 * A cheap fingerprint of the data a backup covers: row counts of every data table, the newest
 * `updatedAt` of annotations, log entries and evidence and the newest revision and import (all
 * through indexes, no rows read), and the small unit list. Any save, import, undo or delete moves
 * at least one of them. Compared with the fingerprint stored with the last backup, it tells a new
 * session whether there is anything not yet backed up.
 */
export async function dataSignature(db: PilotDb): Promise<string> {
  return db.transaction('r', tablesOf(db), async () => {
    const parts = await Promise.all([
      db.snapshots.count(),
      db.periods.toArray(),
      db.rounds.toArray(),
      db.submissions.count(),
      db.reviews.count(),
      db.annotations.count(),
      db.revisions.count(),
      db.logEntries.count(),
      db.evidence.count(),
      db.attachments.count(),
      db.imports.count(),
      db.annotations.orderBy('updatedAt').lastKey(),
      db.logEntries.orderBy('updatedAt').lastKey(),
      db.evidence.orderBy('updatedAt').lastKey(),
      db.revisions.orderBy('at').lastKey(),
      db.imports.orderBy('at').lastKey(),
      db.units.toArray(),
      db.reportDrafts.count(),
      db.reportDraftRevisions.count(),
      db.reportDrafts.orderBy('updatedAt').lastKey(),
    ]);
    return JSON.stringify(parts);
  });
}

/** What a backup is built for. */
export interface BuildRequest {
  author: Author;
  appVersion: string;
  corpusHash: string;
}

export interface BuiltBackup {
  bytes: Uint8Array;
  signature: string;
  createdAt: string;
}

/** A failed backup transaction as a Chinese message (disk full, or the database failed). */
export function backupStorageFailure(e: unknown, what: string): Result<never> {
  const err = e as { name?: string; inner?: { name?: string }; message?: string };
  if (err?.name === 'QuotaExceededError' || err?.inner?.name === 'QuotaExceededError') {
    return fail('db.quota', `磁盘空间不足，${what}未完成，本机数据没有任何改动。请清理磁盘空间后重试。`, String(err?.message));
  }
  return fail('backup.db_failed', `${what}未完成：读写本地数据库时出错，本机数据没有任何改动。请重试。`, `${err?.name}: ${err?.message}`);
}

/**
 * The whole database as bundle bytes, read in ONE transaction so the snapshot is consistent (a
 * save between two reads would otherwise give an annotation without its head revision). Unlike
 * an export an empty database is fine: its backup is the restore point of "nothing yet". The rows
 * are read through the store (dexieStore), as exports are.
 */
export async function buildBackup(db: PilotDb, req: BuildRequest): Promise<Result<BuiltBackup>> {
  let rows: exportService.AllRecords<AttachmentRecord> & { signature: string; reportDrafts: ReportDraft[]; reportDraftRevisions: ReportDraftRevision[] };
  try {
    rows = await db.transaction('r', tablesOf(db), async () => {
      // Report drafts are the author's own: a backup carries them, a bundle for a colleague does not.
      const [records, signature, reportDrafts, reportDraftRevisions] = await Promise.all([
        exportService.readAllRecords(dexieStore(db)),
        dataSignature(db),
        db.reportDrafts.toArray(),
        db.reportDraftRevisions.toArray(),
      ]);
      return { ...records, signature, reportDrafts, reportDraftRevisions };
    });
  } catch (e) {
    return backupStorageFailure(e, '备份');
  }
  const { files, signature, reportDrafts, reportDraftRevisions, ...records } = rows;
  const attachments = await attachmentBytes(files);
  const selected = selectForExport({ ...records, attachments }, { scope: 'all' });
  if (!selected.ok) return fail(selected.error.code, `无法备份：${selected.error.message}`, selected.error.detail);
  const createdAt = new Date().toISOString();
  try {
    const bytes = writeBundle({
      ...selected.value,
      reportDrafts,
      reportDraftRevisions,
      manifest: { appVersion: req.appVersion, corpusHash: req.corpusHash, author: req.author, createdAt, scope: 'all' },
    });
    return ok({ bytes, signature, createdAt });
  } catch (e) {
    return fail('backup.build_failed', '无法生成备份文件（本地数据中的附件与其校验值不符）。', String(e));
  }
}

/** What the backup's check needs of the corpus (plain data, so it can be posted to the worker). */
export interface CheckRequest {
  corpusHash: string;
  taskIds: string[];
}

/** The full bundle check of a backup's bytes; only the verdict comes back (a backup's check needs no records). */
export async function checkBackupBytes(bytes: Uint8Array, req: CheckRequest): Promise<Result<null>> {
  const r = await readBundleAsync(bytes, { corpusHash: req.corpusHash, taskIds: new Set(req.taskIds) });
  return r.ok ? ok(null) : r;
}
