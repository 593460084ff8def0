/**
 * The database schemas as they shipped, version by version, written out once and frozen here —
 * never imported from db.ts, whose point is to move on: migration tests and the upgrade benchmark
 * build a database as it is on people's disks and open it with the app's module. Append a version
 * when one ships; never edit one that has.
 */
import Dexie, { type DexieOptions } from 'dexie';

const SHIPPED: readonly Record<string, string>[] = [
  // Version 1: the annotation workspace.
  {
    profile: 'id',
    units: 'code, order',
    annotations: 'key, taskId, unitCode, status, updatedAt',
    revisions: 'id, key, at',
    logEntries: 'id, [taskId+unitCode], updatedAt',
    evidence: 'id, [taskId+unitCode], attachmentHash, updatedAt',
    attachments: 'hash',
  },
  // Version 2: meta and import records.
  { meta: 'key', imports: 'id, at' },
  // Version 3: evaluation periods and snapshots.
  { periods: 'id, start', snapshots: 'id, periodId, frozenAt' },
  // Version 4: the revisions' status index for the monthly series, import records by bundle sha-256.
  { revisions: 'id, key, at, [key+at+fields.status]', imports: 'id, at, bundleSha256' },
  // Version 5: the undo lists of imports in a table of their own.
  { importDetails: 'id' },
];

/** A (not yet opened) Dexie of `name` at shipped schema `version`, with every version up to it. */
export function shippedDb(name: string, version: 1 | 2 | 3 | 4 | 5, options?: DexieOptions): Dexie {
  const db = new Dexie(name, options);
  for (let v = 1; v <= version; v++) db.version(v).stores(SHIPPED[v - 1]!);
  return db;
}
