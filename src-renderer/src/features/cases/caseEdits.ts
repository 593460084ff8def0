/**
 * Autosave of case write-ups (典型案例), one pending edit per annotation key: every change is
 * journaled synchronously to localStorage and saved within AUTOSAVE_MS of the last keystroke, on
 * blur, when the card goes away (filter, page or view switch) and before an export. Not while an
 * IME composition is open. A save writes only the write-up (`saveCaseStudy`), so it never
 * overwrites a newer status or note; the annotation editor is reloaded if it holds the same task.
 */
import type { CaseStudy } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { saveCaseStudy } from '../../db/repo';
import { currentAuthor } from '../../store/sessionStore';
import { useSearchStore } from '../../store/searchStore';
import { AUTOSAVE_MS, useAnnotationEditor } from '../annotation/annotationStore';

export type CaseSaveState = 'saved' | 'dirty' | 'saving' | 'invalid' | 'error';

export interface CaseSaveStatus {
  state: CaseSaveState;
  message: string | null;
}

interface Pending {
  value: CaseStudy;
  at: string;
  composing: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  listener: ((s: CaseSaveStatus, saved?: CaseStudy | null) => void) | null;
}

const DRAFT_PREFIX = 'pilotdesk.caseDraft:';
const pending = new Map<string, Pending>();
let chain: Promise<void> = Promise.resolve();

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

/** A journaled write-up newer than `storedAt` (left from a crash or a closed window), if any. */
export function readCaseDraft(key: string, storedAt: string): CaseStudy | null {
  try {
    const raw = storage()?.getItem(DRAFT_PREFIX + key);
    if (!raw) return null;
    const d = JSON.parse(raw) as { value: CaseStudy; at: string };
    return d.at > storedAt ? d.value : null;
  } catch {
    return null;
  }
}

export function listenCase(key: string, listener: Pending['listener']): void {
  const p = pending.get(key);
  if (p) p.listener = listener;
}

/** Records a change of the write-up of `key` and schedules its save. */
export function changeCase(key: string, value: CaseStudy, listener: Pending['listener']): void {
  const at = new Date().toISOString();
  try {
    storage()?.setItem(DRAFT_PREFIX + key, JSON.stringify({ value, at }));
  } catch {
    // A full localStorage only loses the crash journal, not the edit.
  }
  const p = pending.get(key) ?? { value, at, composing: false, timer: null, listener };
  p.value = value;
  p.at = at;
  p.listener = listener;
  pending.set(key, p);
  listener?.({ state: 'dirty', message: null });
  schedule(key);
}

export function setCaseComposing(key: string, composing: boolean): void {
  const p = pending.get(key);
  if (!p) return;
  p.composing = composing;
  if (!composing) schedule(key);
}

function schedule(key: string): void {
  const p = pending.get(key);
  if (!p || p.composing) return;
  if (p.timer) clearTimeout(p.timer);
  p.timer = setTimeout(() => void flushCase(key), AUTOSAVE_MS);
}

/** Saves the pending write-up of `key` now (serialised with every other case save). */
export function flushCase(key: string): Promise<void> {
  const p = pending.get(key);
  if (!p) return chain;
  if (p.timer) clearTimeout(p.timer);
  p.timer = null;
  chain = chain.then(() => save(key));
  return chain;
}

/** Saves every pending write-up (before an export, when the view goes away). */
export async function flushAllCases(): Promise<void> {
  for (const key of [...pending.keys()]) void flushCase(key);
  await chain;
}

async function save(key: string): Promise<void> {
  const p = pending.get(key);
  if (!p) return;
  const { value, at } = p;
  p.listener?.({ state: 'saving', message: null });
  const r = await saveCaseStudy(db, key, value, currentAuthor());
  const still = pending.get(key);
  const unchangedSince = still?.at === at;
  if (!r.ok) {
    // Kept pending (and journaled): the person sees why and can correct it; nothing is lost.
    still?.listener?.({ state: r.error.code === 'annotation.invalid' ? 'invalid' : 'error', message: r.fieldErrors?.caseStudy ?? r.error.message });
    return;
  }
  if ('revision' in r.value) useSearchStore.getState().annotationSaved(r.value.annotation);
  if (unchangedSince) {
    pending.delete(key);
    try {
      storage()?.removeItem(DRAFT_PREFIX + key);
    } catch {
      // ignore
    }
    p.listener?.({ state: 'saved', message: null }, r.value.annotation?.caseStudy ?? null);
  } else still?.listener?.({ state: 'dirty', message: null });
  const editor = useAnnotationEditor.getState();
  if (editor.key === key && !editor.dirty) await editor.reload();
}

/** Is there an unsaved edit of `key`? */
export function hasPendingCase(key: string): boolean {
  return pending.has(key);
}
