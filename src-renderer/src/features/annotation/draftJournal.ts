/**
 * The journal of unsaved annotation input (the autosave engine's journal under this editor's
 * prefix, see lib/autosave.ts). On the next start, drafts newer than what is stored are saved (see
 * `recoverDrafts`), so nothing typed is ever lost.
 */
import type { AnnotationFields, Author } from '../../../../src-main/shared/domain';
import { listDurable, readDurable, removeDurable } from '../../db/journalDb';
import { listJournal, readJournal, removeJournal, writeJournal } from '../../lib/autosave';

export const DRAFT_PREFIX = 'pilotdesk:draft:';

export interface Draft {
  key: string;
  taskId: string;
  unitCode: string;
  fields: AnnotationFields;
  /** The stored head the draft was typed on top of (null for a new annotation). */
  baseHead: string | null;
  author: Author;
  /** ISO timestamp of the last change. */
  at: string;
  /** A status was chosen on a task without an annotation: record it even if the form is blank. */
  checked?: boolean;
}

type KV = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export function writeDraft(storage: KV, draft: Draft): void {
  writeJournal(storage, DRAFT_PREFIX, draft.key, draft);
}

/**
 * Removes the draft of `key` from both journals, but only if it is still the one written at `at`
 * (not a newer one).
 */
export function removeDraft(storage: KV, key: string, at?: string): void {
  removeJournal(storage, DRAFT_PREFIX, key, at);
  void removeDurable(DRAFT_PREFIX, key, at);
}

const newer = (a: Draft | null, b: Draft | null): Draft | null => (!a ? b : !b ? a : b.at > a.at ? b : a);

/**
 * The newest draft of `key` in either journal: localStorage (written at once, may not reach the
 * disk before a hard kill) or the journal database (on disk, may miss the last keystroke of a
 * closed window).
 */
export async function readNewestDraft(storage: KV | null, key: string): Promise<Draft | null> {
  return newer(storage ? readDraft(storage, key) : null, await readDurable<Draft>(DRAFT_PREFIX, key));
}

/** Every key's newest draft in either journal. */
export async function listNewestDrafts(storage: KV | null): Promise<Draft[]> {
  const byKey = new Map<string, Draft>();
  for (const d of [...(storage ? listDrafts(storage) : []), ...(await listDurable<Draft>(DRAFT_PREFIX))]) {
    byKey.set(d.key, newer(byKey.get(d.key) ?? null, d)!);
  }
  return [...byKey.values()];
}

export function readDraft(storage: KV, key: string): Draft | null {
  return readJournal<Draft>(storage, DRAFT_PREFIX, key);
}

export function listDrafts(storage: KV): Draft[] {
  return listJournal<Draft>(storage, DRAFT_PREFIX);
}
