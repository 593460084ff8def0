/**
 * Coalesced revisions (amend-until-shared). Consecutive saves of one annotation by the same author
 * amend its open head revision instead of adding one, until the revision is shared or its working
 * window closes:
 *
 * - shared: every path by which revisions leave the machine (a bundle export, a 报送 submission) or
 *   are pinned by id (a frozen snapshot records heads) bumps the share counter in the SAME
 *   transaction that reads them, so no revision that left can be amended afterwards;
 * - closed: 10 minutes without a save of that annotation, a save by a different author, the person
 *   leaving the task, or any other kind of revision (restore, check, import) becoming the head.
 *
 * An open revision keeps its id while it is amended: the id has never left the machine (that is
 * what "unshared" means), so no copy anywhere disagrees with it, and a colleague who later receives
 * it — or its successor, parented on it once it was shared — merges it exactly by ancestry.
 *
 * The state lives in the `meta` table: one counter, and one row per annotation with an open window.
 */
import type { Author } from '../domain';
import type { MetaRecord } from '../store/types';

/** The `meta` table as far as windows need it (a store's table or the app's Dexie table). */
export interface MetaAccess {
  get(key: string): Promise<MetaRecord | undefined>;
  put(row: MetaRecord): Promise<unknown>;
}

/** A window closes after this long without a save of the annotation. */
export const REVISION_WINDOW_MS = 10 * 60 * 1000;

/** `meta` key of the share counter (a number; absent = 0). */
export const SHARE_COUNTER_KEY = 'revisionShares';

/** `meta` key of the open window of annotation `key`. */
export const openWindowKey = (key: string): string => `openRevision:${key}`;

/** What the meta row of an open window holds. */
export interface OpenWindow {
  revisionId: string;
  author: Author;
  /** When the window's last save happened (the machine's clock, ISO). */
  lastSaveAt: string;
  /** The share counter when the revision was opened: a larger counter now means it was shared. */
  shares: number;
}

const shareCount = (row: MetaRecord | undefined): number => (typeof row?.value === 'number' ? row.value : 0);

/** The current share counter. */
export async function readShareCount(meta: Pick<MetaAccess, 'get'>): Promise<number> {
  return shareCount(await meta.get(SHARE_COUNTER_KEY));
}

/**
 * Marks every revision present now as shared: none of them is amended again. Call inside the
 * read-write transaction that reads what leaves the machine.
 */
export async function markRevisionsShared(meta: MetaAccess, now: Date = new Date()): Promise<void> {
  const n = shareCount(await meta.get(SHARE_COUNTER_KEY));
  await meta.put({ key: SHARE_COUNTER_KEY, value: n + 1, at: now.toISOString() });
}

function openWindowOf(row: MetaRecord | undefined): OpenWindow | null {
  const v = row?.value as Partial<OpenWindow> | undefined;
  if (!v || typeof v.revisionId !== 'string' || typeof v.lastSaveAt !== 'string' || typeof v.shares !== 'number' || !v.author) return null;
  return v as OpenWindow;
}

/**
 * Whether a save by `author` at `now` may amend `headId`: the annotation's window is open on that
 * very head, by the same author, saved within REVISION_WINDOW_MS, and nothing was shared since it opened.
 */
export function mayAmend(row: MetaRecord | undefined, headId: string, author: Author, now: Date, shares: number): boolean {
  const w = openWindowOf(row);
  if (!w || w.revisionId !== headId || w.shares !== shares) return false;
  if (w.author.name !== author.name || w.author.unitCode !== author.unitCode) return false;
  const since = now.getTime() - Date.parse(w.lastSaveAt);
  return since >= 0 && since <= REVISION_WINDOW_MS;
}

/** The meta row that opens (or extends) the window of `key` on revision `revisionId`. */
export function openWindowRow(key: string, revisionId: string, author: Author, now: Date, shares: number): MetaRecord {
  const at = now.toISOString();
  const value: OpenWindow = { revisionId, author: { name: author.name, unitCode: author.unitCode }, lastSaveAt: at, shares };
  return { key: openWindowKey(key), value, at };
}
