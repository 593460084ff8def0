/**
 * The import store (src-main/shared/store/types.ts) over the app's IndexedDB database, so the shared
 * import service reads and writes the same tables as the rest of the app. One transaction of the
 * store is one Dexie transaction over all its tables; a transaction inside another joins it.
 * Files are stored as Blobs; their bytes are read outside transactions.
 */
import Dexie, { type Table } from 'dexie';
import type { ImportStore, NewFile, StoreTable } from '../../../src-main/shared/store/types';
import type { AttachmentRecord, PilotDb } from './db';

/** Dexie's insert type only makes an auto-incremented key optional: these tables have none, so it is T. */
function table<T, I>(t: Table<T, string, I>): StoreTable<T> {
  return {
    get: (key) => t.get(key),
    bulkGet: (keys) => t.bulkGet(keys as string[]),
    put: async (row) => {
      await t.put(row as unknown as I);
    },
    bulkPut: async (rows) => {
      await t.bulkPut(rows as unknown as I[]);
    },
    bulkAdd: async (rows) => {
      await t.bulkAdd(rows as unknown as I[]);
    },
    bulkDelete: (keys) => t.bulkDelete(keys as string[]),
    toArray: () => t.toArray(),
  };
}

/** The stored form of a file: its bytes as a Blob (made without awaiting, so inside a transaction is fine). */
function attachmentRecord(f: NewFile): AttachmentRecord {
  return { hash: f.hash, name: f.name, mime: f.mime, size: f.size, blob: new Blob([f.bytes as BlobPart], { type: f.mime }), addedAt: f.addedAt };
}

/** The stored files' bytes by hash (read after the transaction: Blob reads are not database work). */
export async function attachmentBytes(files: readonly AttachmentRecord[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const f of files) out.set(f.hash, new Uint8Array(await f.blob.arrayBuffer()));
  return out;
}

export function dexieStore(db: PilotDb): ImportStore<AttachmentRecord> {
  const tables = [db.units, db.annotations, db.revisions, db.logEntries, db.evidence, db.attachments, db.imports, db.importDetails, db.periods, db.snapshots, db.rounds, db.submissions, db.reviews, db.meta];
  return {
    units: table(db.units),
    annotations: {
      ...table(db.annotations),
      countByUnit: (codes) => (codes.length ? db.annotations.where('unitCode').anyOf(codes as string[]).count() : Promise.resolve(0)),
    },
    revisions: {
      ...table(db.revisions),
      byAnnotation: (keys) => (keys.length ? db.revisions.where('key').anyOf(keys as string[]).toArray() : Promise.resolve([])),
    },
    logEntries: table(db.logEntries),
    evidence: {
      ...table(db.evidence),
      byAttachment: (hashes) => (hashes.length ? db.evidence.where('attachmentHash').anyOf(hashes as string[]).toArray() : Promise.resolve([])),
    },
    attachments: {
      bulkGet: (hashes) => db.attachments.bulkGet(hashes as string[]),
      bulkPut: async (files) => {
        await db.attachments.bulkPut(files.map(attachmentRecord));
      },
      bulkDelete: (hashes) => db.attachments.bulkDelete(hashes as string[]),
      bytes: attachmentBytes,
    },
    periods: table(db.periods),
    snapshots: {
      ...table(db.snapshots),
      byPeriod: (ids) => (ids.length ? db.snapshots.where('periodId').anyOf(ids as string[]).toArray() : Promise.resolve([])),
    },
    rounds: table(db.rounds),
    submissions: table(db.submissions),
    reviews: { ...table(db.reviews), byReview: (reviewId) => db.reviews.where('reviewId').equals(reviewId).toArray() },
    imports: table(db.imports),
    importDetails: table(db.importDetails),
    meta: table(db.meta),
    // Inside a transaction of this database (say, a backup's read over fewer tables), join it as
    // it is: Dexie refuses a nested transaction that names a table its parent lacks.
    transaction: (mode, fn) => (Dexie.currentTransaction?.db === db ? fn() : db.transaction(mode, tables, fn)),
  };
}
