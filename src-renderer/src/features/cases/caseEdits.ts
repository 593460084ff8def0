/**
 * Autosave of case write-ups (典型案例), one pending edit per annotation key, on the same engine as
 * the annotation form (lib/autosave.ts): journaled at every change, saved within AUTOSAVE_MS of the
 * last keystroke, on blur, when the card goes away (filter, page or view switch) and whenever a
 * write settles pending edits first (an export); not while an IME composition is open. A save
 * writes only the write-up (`saveCaseStudy`), so it never overwrites a newer status or note; the
 * open annotation form hears of it through the data-change event.
 */
import type { CaseStudy } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { saveCaseStudy } from '../../db/writes';
import { createAutosave, readJournal } from '../../lib/autosave';
import { currentAuthor } from '../../store/sessionStore';

export type CaseSaveState = 'saved' | 'dirty' | 'saving' | 'invalid' | 'error';

export interface CaseSaveStatus {
  state: CaseSaveState;
  message: string | null;
}

type Listener = ((s: CaseSaveStatus, saved?: CaseStudy | null) => void) | null;

const DRAFT_PREFIX = 'pilotdesk.caseDraft:';
const listeners = new Map<string, NonNullable<Listener>>();

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

const autosave = createAutosave<CaseStudy, { value: CaseStudy; at: string }>({
  prefix: DRAFT_PREFIX,
  record: (_key, value, at) => ({ value, at }),
  async save(key, value) {
    const r = await saveCaseStudy(db, key, value, currentAuthor());
    if (!r.ok) {
      // Kept pending (and journaled): the person sees why and can correct it; nothing is lost.
      listeners.get(key)?.({ state: r.error.code === 'annotation.invalid' ? 'invalid' : 'error', message: r.fieldErrors?.caseStudy ?? r.error.message });
      return false;
    }
    return true;
  },
  onState(key, state, value) {
    const l = listeners.get(key);
    if (state === 'saved') l?.({ state, message: null }, value);
    else l?.({ state, message: null });
  },
});

/** A journaled write-up newer than `storedAt` (left from a crash or a closed window), if any. */
export function readCaseDraft(key: string, storedAt: string): CaseStudy | null {
  const st = storage();
  const d = st ? readJournal<{ value: CaseStudy; at: string }>(st, DRAFT_PREFIX, key) : null;
  return d && d.at > storedAt ? d.value : null;
}

export function listenCase(key: string, listener: Listener): void {
  if (listener) listeners.set(key, listener);
  else listeners.delete(key);
}

/** Records a change of the write-up of `key` and schedules its save. */
export function changeCase(key: string, value: CaseStudy, listener: Listener): void {
  listenCase(key, listener);
  autosave.change(key, value);
}

export function setCaseComposing(key: string, composing: boolean): void {
  autosave.setComposing(key, composing);
}

/** Saves the pending write-up of `key` now (serialised with every other case save). */
export function flushCase(key: string): Promise<void> {
  return autosave.flush(key);
}

/** Saves every pending write-up (before an export, when the view goes away). */
export function flushAllCases(): Promise<void> {
  return autosave.flushAll();
}

/** Is there an unsaved edit of `key`? */
export function hasPendingCase(key: string): boolean {
  return autosave.has(key);
}
