/**
 * Autosave of report drafts, one pending draft per id, on the engine every editor uses
 * (lib/autosave.ts): journaled at every change, saved within AUTOSAVE_MS of the last one, when the
 * draft closes, and whenever a write settles pending edits first (an export, a backup); not while
 * an IME composition is open. Each opening of a draft is one working session: its saves are one
 * revision (db/drafts.ts).
 */
import type { ReportDraft } from '../../../../../src-main/shared/report/draft';
import { db } from '../../../db/db';
import { saveDraft } from '../../../db/writes';
import { createAutosave, readJournal, type AutosaveState } from '../../../lib/autosave';
import { currentAuthor } from '../../../store/sessionStore';

export type DraftSaveState = AutosaveState | 'error';

type Listener = (state: DraftSaveState, message: string | null, saved?: ReportDraft) => void;

const PREFIX = 'pilotdesk.reportDraft:';
const listeners = new Map<string, Listener>();
const sessions = new Map<string, string>();

const autosave = createAutosave<ReportDraft, { value: ReportDraft; at: string }>({
  prefix: PREFIX,
  record: (_key, value, at) => ({ value, at }),
  async save(key, value) {
    const r = await saveDraft(db, value, currentAuthor(), { session: sessionOf(key) });
    if (!r.ok) {
      // Kept pending and journaled: the author sees why; nothing typed is lost.
      listeners.get(key)?.('error', r.error.message);
      return false;
    }
    listeners.get(key)?.('saved', null, r.value);
    return true;
  },
  onState(key, state) {
    if (state !== 'saved') listeners.get(key)?.(state, null);
  },
});

/** The working session of an open draft (a new one each time it is opened). */
function sessionOf(id: string): string {
  let s = sessions.get(id);
  if (!s) sessions.set(id, (s = crypto.randomUUID()));
  return s;
}

/** Opens a draft for editing: a new working session, and the listener of its save states. */
export function openDraftSession(id: string, listener: Listener): void {
  sessions.set(id, crypto.randomUUID());
  listeners.set(id, listener);
}

/** Closes it: what is pending is saved now. */
export async function closeDraftSession(id: string): Promise<void> {
  await autosave.flush(id);
  listeners.delete(id);
  sessions.delete(id);
}

export const changeDraft = (draft: ReportDraft): void => autosave.change(draft.id, draft);
export const setDraftComposing = (id: string, composing: boolean): void => autosave.setComposing(id, composing);
export const flushDraft = (id: string): Promise<void> => autosave.flush(id);
/** The draft is deleted: its pending edit and journal go with it. */
export const discardDraft = (id: string): void => autosave.discard(id);

/** A journaled draft newer than the stored one (left from a closed window), if any. */
export function journaledDraft(id: string, storedAt: string): ReportDraft | null {
  const st = typeof localStorage === 'undefined' ? null : localStorage;
  const d = st ? readJournal<{ value: ReportDraft; at: string }>(st, PREFIX, id) : null;
  return d && d.at > storedAt ? d.value : null;
}

export function adoptJournaled(draft: ReportDraft, at: string): void {
  autosave.adopt(draft.id, draft, at);
}
