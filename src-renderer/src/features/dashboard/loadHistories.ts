/**
 * Status histories for the monthly series, read from IndexedDB without freezing the UI and without
 * reading a single revision: the `[key+at+fields.status]` index (schema v4) already holds, for every
 * revision, the annotation key, the time and the status, so a keys-only cursor (openKeyCursor) over
 * the index gives the points and the revision ids (its primary keys). Whole revisions carry every
 * field with the rich-text notes; at city scale (40k revisions) reading them took tens of seconds.
 *
 * One cursor walks the index for a batch of annotation keys (in key order), jumping over keys that
 * were not asked for: in Chromium a lone cursor is prefetched in blocks, while cursors running side by
 * side in one transaction reset each other's prefetch and pay a round trip per record. Between
 * batches (each its own read transaction) the event loop gets a turn, so clicks and paints go on.
 */
import type { StatusHistory } from '../../../../src-main/shared/dashboard/monthly';
import type { Status } from '../../../../src-main/shared/domain';
import { REVISION_STATUS_INDEX, type PilotDb } from '../../db/db';

/** Annotation keys per read transaction: enough that round trips do not dominate, few enough to yield often. */
const KEYS_PER_BATCH = 200;

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The annotations whose histories are wanted (their key, task and unit). */
export interface HistoryKey {
  key: string;
  taskId: string;
  unitCode: string;
}

/** One point as the index gives it, with the revision id for the order. */
type Entry = [id: string, at: string, status: Status];

/**
 * The index entries of `keys` (sorted, distinct), one list per key. Every entry of a key lies between
 * [key] (a prefix sorts first) and [key, []] (an array sorts after any string).
 */
function readEntries(idb: IDBDatabase, keys: readonly string[]): Promise<Entry[][]> {
  return new Promise((resolve, reject) => {
    const out: Entry[][] = keys.map(() => []);
    const tx = idb.transaction('revisions', 'readonly');
    const range = IDBKeyRange.bound([keys[0]], [keys[keys.length - 1], []]);
    const request = tx.objectStore('revisions').index(REVISION_STATUS_INDEX).openKeyCursor(range);
    let i = 0;
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      const [key, at, status] = cursor.key as [string, string, Status];
      while (i < keys.length && keys[i]! < key) i += 1;
      if (i >= keys.length) return;
      if (keys[i] === key) {
        out[i]!.push([cursor.primaryKey as string, at, status]);
        cursor.continue();
      } else {
        cursor.continue([keys[i]]); // a key not asked for: jump to the next one that is
      }
    };
    tx.oncomplete = () => resolve(out);
    tx.onabort = () => reject(tx.error ?? new Error('read aborted'));
    tx.onerror = () => reject(tx.error ?? request.error);
  });
}

export async function loadStatusHistories(
  db: PilotDb,
  annotations: readonly HistoryKey[],
  options: { onProgress?: (done: number, total: number) => void; signal?: { cancelled: boolean } } = {},
): Promise<StatusHistory[] | null> {
  if (!db.isOpen()) await db.open();
  const byKey = new Map(annotations.map((a) => [a.key, a]));
  // Key order, as the index has it (IndexedDB compares strings by UTF-16 code units, as `<` does).
  const keys = [...byKey.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: StatusHistory[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) {
    if (options.signal?.cancelled) return null;
    const batch = keys.slice(i, i + KEYS_PER_BATCH);
    const lists = await readEntries(db.backendDB(), batch);
    // Cancelled while reading (the view closed): report nothing more.
    if (options.signal?.cancelled) return null;
    lists.forEach((entries, j) => {
      if (!entries.length) return;
      // The order the revisions were listed in before (by id within the key): monthlySeries breaks
      // ties between equal times by that order, so the series stays exactly the same.
      entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      const a = byKey.get(batch[j]!)!;
      out.push({ taskId: a.taskId, unitCode: a.unitCode, points: entries.map(([, at, status]) => ({ at, status })) });
    });
    options.onProgress?.(Math.min(i + KEYS_PER_BATCH, keys.length), keys.length);
    await nextTurn();
  }
  return out;
}
