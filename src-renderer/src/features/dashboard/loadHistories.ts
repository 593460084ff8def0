/**
 * Status histories for the monthly series, read from IndexedDB without freezing the UI and without
 * reading a single revision: the `[key+at+fields.status]` index (schema v4) already holds, for every
 * revision, the annotation key, the time and the status, so a keys-only cursor per annotation key
 * (`eachKey`, IndexedDB's openKeyCursor) gives the points and the revision id (its primary key). Whole
 * revisions carry every field with the rich-text notes; at city scale (40k revisions) reading them
 * took tens of seconds, the index keys take a fraction of a second and grow linearly with the count.
 *
 * Keys are read a batch at a time, each batch in one read transaction, and the event loop gets a turn
 * between batches, so clicks and paints go on while a city's revisions are read.
 */
import type { StatusHistory } from '../../../../src-main/shared/dashboard/monthly';
import type { Status } from '../../../../src-main/shared/domain';
import { REVISION_STATUS_INDEX, type PilotDb } from '../../db/db';

/** Annotation keys per read transaction: enough that round trips do not dominate, few enough to yield often. */
const KEYS_PER_BATCH = 100;

// Every index key of an annotation: [key] sorts before [key, at, status] (a prefix), [key, []] after
// it (an array sorts after any string).

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The annotations whose histories are wanted (their key, task and unit). */
export interface HistoryKey {
  key: string;
  taskId: string;
  unitCode: string;
}

/** One point as the index gives it, with the revision id for the order. */
type Entry = [id: string, at: string, status: Status];

export async function loadStatusHistories(
  db: PilotDb,
  annotations: readonly HistoryKey[],
  options: { onProgress?: (done: number, total: number) => void; signal?: { cancelled: boolean } } = {},
): Promise<StatusHistory[] | null> {
  const out: StatusHistory[] = [];
  const index = db.revisions.where(REVISION_STATUS_INDEX);
  for (let i = 0; i < annotations.length; i += KEYS_PER_BATCH) {
    if (options.signal?.cancelled) return null;
    const batch = annotations.slice(i, i + KEYS_PER_BATCH);
    const lists = await db.transaction('r', db.revisions, () =>
      Promise.all(
        batch.map(async (a) => {
          const entries: Entry[] = [];
          await index.between([a.key], [a.key, []], true, true).eachKey((k, cursor) => {
            const [, at, status] = k as [string, string, Status];
            entries.push([cursor.primaryKey as string, at, status]);
          });
          return entries;
        }),
      ),
    );
    lists.forEach((entries, j) => {
      if (!entries.length) return;
      // The order the revisions were listed in before (by id within the key): monthlySeries breaks
      // ties between equal times by that order, so the series stays exactly the same.
      entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      const a = batch[j]!;
      out.push({ taskId: a.taskId, unitCode: a.unitCode, points: entries.map(([, at, status]) => ({ at, status })) });
    });
    options.onProgress?.(Math.min(i + KEYS_PER_BATCH, annotations.length), annotations.length);
    await nextTurn();
  }
  return out;
}
