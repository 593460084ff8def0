/**
 * A synchronous journal of unsaved annotation input in localStorage. IndexedDB writes are
 * asynchronous and may not finish when a window closes mid-keystroke; a localStorage write happens
 * before the keystroke handler returns. On the next start, drafts newer than what is stored are
 * saved (see `recoverDrafts`), so nothing typed is ever lost.
 */
import type { AnnotationFields, Author } from '../../../../src-main/shared/domain';

const PREFIX = 'pilotdesk:draft:';

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
  try {
    storage.setItem(PREFIX + draft.key, JSON.stringify(draft));
  } catch {
    // Quota or privacy mode: the IndexedDB autosave still runs; the journal is a second line.
  }
}

/** Removes the draft of `key`, but only if it is still the one written at `at` (not a newer one). */
export function removeDraft(storage: KV, key: string, at?: string): void {
  if (at !== undefined) {
    const raw = storage.getItem(PREFIX + key);
    if (raw) {
      try {
        if ((JSON.parse(raw) as Draft).at !== at) return;
      } catch {
        /* a broken draft is removed */
      }
    }
  }
  storage.removeItem(PREFIX + key);
}

export function readDraft(storage: KV, key: string): Draft | null {
  const raw = storage.getItem(PREFIX + key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Draft;
  } catch {
    return null;
  }
}

export function listDrafts(storage: KV): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (!k?.startsWith(PREFIX)) continue;
    const d = readDraft(storage, k.slice(PREFIX.length));
    if (d) out.push(d);
  }
  return out;
}
