/**
 * The journal of unsaved annotation input (the autosave engine's journal under this editor's
 * prefix, see lib/autosave.ts). On the next start, drafts newer than what is stored are saved (see
 * `recoverDrafts`), so nothing typed is ever lost.
 */
import type { AnnotationFields, Author } from '../../../../src-main/shared/domain';
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
}

type KV = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export function writeDraft(storage: KV, draft: Draft): void {
  writeJournal(storage, DRAFT_PREFIX, draft.key, draft);
}

/** Removes the draft of `key`, but only if it is still the one written at `at` (not a newer one). */
export function removeDraft(storage: KV, key: string, at?: string): void {
  removeJournal(storage, DRAFT_PREFIX, key, at);
}

export function readDraft(storage: KV, key: string): Draft | null {
  return readJournal<Draft>(storage, DRAFT_PREFIX, key);
}

export function listDrafts(storage: KV): Draft[] {
  return listJournal<Draft>(storage, DRAFT_PREFIX);
}
