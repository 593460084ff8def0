/**
 * The annotation being edited: form values, save state and autosave (the engine of lib/autosave.ts:
 * journaled at every change, saved within AUTOSAVE_MS of the last keystroke, on blur, when
 * switching task or unit, when the page is hidden or closed, and whenever a write settles pending
 * edits first; nothing saved while an IME composition is open). The form's fields are validated
 * once per save, by the repo's save. Changes made elsewhere (an import, a restore, a restored
 * revision, a case write-up) reach the form through the data-change event.
 */
import { create } from 'zustand';
import { FIELD_LABELS, annotationKey, emptyFields, type Annotation, type AnnotationFields, type FieldName } from '../../../../src-main/shared/domain';
import { db } from '../../db/db';
import { isBulkChange, onDataChange, settlePendingEdits } from '../../db/mutate';
import { fieldsOf, getAnnotation } from '../../db/repo';
import { closeRevisionWindow, saveAnnotation } from '../../db/writes';
import { AUTOSAVE_MS, createAutosave } from '../../lib/autosave';
import { currentAuthor } from '../../store/sessionStore';
import { DRAFT_PREFIX, listNewestDrafts, readNewestDraft, removeDraft, type Draft } from './draftJournal';

export { AUTOSAVE_MS };

export type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'invalid' | 'error';

interface AnnotationEditorState {
  key: string | null;
  taskId: string | null;
  unitCode: string | null;
  stored: Annotation | null;
  fields: AnnotationFields;
  /** Bumped whenever `fields` are replaced from outside the form (load, restore), to reset editors. */
  loadSeq: number;
  dirty: boolean;
  composing: boolean;
  saveState: SaveState;
  fieldErrors: Partial<Record<FieldName, string>>;
  errorMessage: string | null;
  lastSavedAt: string | null;
  /**
   * The person chose a status on a task without an annotation: even 未启动 on a blank form is then
   * recorded ("checked this month, not started"), not dropped as "nothing to save".
   */
  checked: boolean;
}

interface AnnotationEditorActions {
  open(taskId: string, unitCode: string): Promise<void>;
  change(patch: Partial<AnnotationFields>): void;
  setComposing(composing: boolean): void;
  flush(): Promise<void>;
  /** Re-reads the stored annotation (after a restore or an import) and resets the form. */
  reload(): Promise<void>;
  /** Drops what the fields in error hold (the person chose to): back to what is stored. */
  discardErrors(): Promise<void>;
}

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

const initial: AnnotationEditorState = {
  key: null,
  taskId: null,
  unitCode: null,
  stored: null,
  fields: emptyFields(),
  loadSeq: 0,
  dirty: false,
  composing: false,
  saveState: 'idle',
  fieldErrors: {},
  errorMessage: null,
  lastSavedAt: null,
  checked: false,
};

/** One line naming each field in error, as the repo words a refused save. */
const invalidMessage = (errors: Partial<Record<FieldName, string>>): string =>
  (Object.entries(errors) as [FieldName, string][]).map(([f, m]) => (m.includes(FIELD_LABELS[f]) ? m : `${FIELD_LABELS[f]}：${m}`)).join('；');

/**
 * `fields` with every field in `errors` put back to what is stored (or to the empty form's value):
 * what can be saved while those fields are being corrected.
 */
function withoutErrors(fields: AnnotationFields, errors: Partial<Record<FieldName, string>>, stored: Annotation | null): AnnotationFields {
  const base = stored ? fieldsOf(stored) : emptyFields();
  const out = { ...fields } as Record<FieldName, unknown>;
  for (const f of Object.keys(errors) as FieldName[]) {
    if (f === 'caseStudy' && !('caseStudy' in base)) delete out.caseStudy;
    else out[f] = base[f];
  }
  return out as unknown as AnnotationFields;
}

export const useAnnotationEditor = create<AnnotationEditorState & AnnotationEditorActions>()((set, get) => {
  /** The annotation key `open` was last asked for. */
  let wanted: string | null = null;
  const autosave = createAutosave<AnnotationFields, Draft>({
    prefix: DRAFT_PREFIX,
    durable: true,
    storedAt: (key) => (get().key === key ? get().stored?.updatedAt : undefined),
    record: (key, fields, at) => {
      const s = get();
      return { key, taskId: s.taskId!, unitCode: s.unitCode!, fields, baseHead: s.stored?.head ?? null, author: currentAuthor(), at, ...(s.checked ? { checked: true } : {}) };
    },
    async save(key, fields) {
      const s = get();
      if (s.key !== key || !s.taskId || !s.unitCode) return false;
      const options = { recordBlank: s.checked };
      let r = await saveAnnotation(db, s.taskId, s.unitCode, fields, currentAuthor(), 'edit', options);
      // Fields save independently: a field in error is held back (kept as typed, in the form and
      // the journal, and shown in error) while every other field is saved. Type errors come alone,
      // so a second refusal may name more fields; three rounds cover every kind of message.
      const errors: Partial<Record<FieldName, string>> = {};
      for (let round = 0; round < 3 && !r.ok && r.error.code === 'annotation.invalid' && get().key === key; round++) {
        Object.assign(errors, r.fieldErrors);
        r = await saveAnnotation(db, s.taskId, s.unitCode, withoutErrors(fields, errors, get().stored), currentAuthor(), 'edit', options);
      }
      if (get().key !== key) return r.ok && Object.keys(errors).length === 0;
      if (r.ok) {
        set({ stored: 'revision' in r.value ? r.value.annotation : get().stored, lastSavedAt: 'revision' in r.value ? new Date().toISOString() : get().lastSavedAt });
        // Typed on while this save ran: that newer text is journaled with the time of its keystroke,
        // which may be the very millisecond this revision is stamped with (the debounce fired as the
        // person typed on). Recovery takes a draft only if it is newer than what is stored, so a
        // close before the next save lost it ("the field empty, one revision"). Stamp it again.
        const next = autosave.pending(key);
        if ('revision' in r.value && next !== undefined && next !== fields) autosave.touch(key, r.value.annotation.updatedAt);
      }
      // The valid part is stored now, later than the journal's record: stamp the record again, so
      // that coming back (or the next start) still takes up the fields in error as typed.
      if (r.ok && 'revision' in r.value && Object.keys(errors).length > 0) autosave.touch(key, r.value.annotation.updatedAt);
      if (!r.ok || Object.keys(errors).length > 0) {
        const fieldErrors = { ...errors, ...(r.ok ? {} : r.fieldErrors) };
        const message = r.ok || r.error.code === 'annotation.invalid' ? invalidMessage(fieldErrors) : r.error.message;
        set({ saveState: r.ok || r.error.code === 'annotation.invalid' ? 'invalid' : 'error', errorMessage: message, fieldErrors });
        return false;
      }
      set({ fieldErrors: {}, errorMessage: null });
      return true;
    },
    onState(key, state) {
      if (get().key !== key) return;
      // A field still in error keeps the form 「有错误，未保存」 until it is corrected.
      if (state === 'saving' && Object.keys(get().fieldErrors).length > 0) return;
      // The person may have typed on while the save ran: then the engine says `dirty`, not `saved`.
      if (state === 'saving') set({ saveState: 'saving' });
      else set({ dirty: state === 'dirty', saveState: state });
    },
  });

  return {
    ...initial,
    async discardErrors() {
      const { key } = get();
      if (!key) return;
      await get().flush();
      if (get().key !== key || Object.keys(get().fieldErrors).length === 0) return;
      await get().reload();
    },
    async open(taskId, unitCode) {
      const key = annotationKey(taskId, unitCode);
      // The task asked for last wins: A → B → A in quick succession ends on A, not on B, whose
      // opening was still settling A's edits when A was asked for again.
      wanted = key;
      const previous = get().key;
      if (previous === key) return;
      await get().flush();
      // An edit that could not be saved stays in the journal (recovered at the next start).
      if (previous) autosave.forget(previous);
      // Leaving the task ends its working session: the next save there is a revision of its own.
      if (previous) await closeRevisionWindow(db, previous).catch(() => undefined);
      if (wanted !== key) return;
      set({ ...initial, key, taskId, unitCode, loadSeq: get().loadSeq + 1 });
      const stored = (await getAnnotation(db, taskId, unitCode)) ?? null;
      if (get().key !== key) return;
      const draft = await readNewestDraft(storage(), key);
      if (get().key !== key) return;
      if (draft && (!stored || draft.at > stored.updatedAt)) {
        // Unsaved input from before a crash or close: show it and save it.
        set({ stored, fields: draft.fields, checked: !stored && draft.checked === true, loadSeq: get().loadSeq + 1 });
        autosave.adopt(key, draft.fields, draft.at);
        return;
      }
      set({ stored, fields: stored ? fieldsOf(stored) : emptyFields(), saveState: stored ? 'saved' : 'idle', loadSeq: get().loadSeq + 1 });
    },
    change(patch) {
      const s = get();
      if (!s.key || !s.taskId || !s.unitCode) return;
      const fields = { ...s.fields, ...patch };
      if ('status' in patch && !s.stored) set({ checked: true });
      // Clear the message of a field as soon as it is edited; re-validate on save.
      const fieldErrors = { ...s.fieldErrors };
      for (const k of Object.keys(patch)) delete fieldErrors[k as FieldName];
      set({ fields, fieldErrors });
      autosave.change(s.key, fields);
    },
    setComposing(composing) {
      set({ composing });
      const { key } = get();
      if (key) autosave.setComposing(key, composing);
    },
    flush: () => autosave.flushAll(),
    async reload() {
      const { taskId, unitCode, key } = get();
      if (!taskId || !unitCode || !key) return;
      const stored = (await getAnnotation(db, taskId, unitCode)) ?? null;
      if (get().key !== key) return;
      autosave.discard(key);
      set({ stored, fields: stored ? fieldsOf(stored) : emptyFields(), dirty: false, saveState: stored ? 'saved' : 'idle', fieldErrors: {}, checked: false, loadSeq: get().loadSeq + 1 });
    },
  };
});

// The open form follows what others wrote: everything after an import or a restore, its own
// annotation after a restored revision, a saved case write-up or a grid cell (unless the form has unsaved input).
onDataChange(async (c) => {
  const editor = useAnnotationEditor.getState();
  if (!editor.key) return;
  if (isBulkChange(c)) return editor.reload();
  if (c.kind !== 'annotation' || !c.annotations.some((a) => a.key === editor.key)) return;
  if (c.source === 'revision' || ((c.source === 'case' || c.source === 'grid' || c.source === 'check') && !editor.dirty)) return editor.reload();
});

/**
 * Saves journaled drafts left from a previous session that are newer than what is stored (the
 * window was closed or crashed before the autosave ran). Returns how many were recovered; each
 * reaches the search index and every other subscriber as a `draft` change.
 */
export async function recoverDrafts(): Promise<number> {
  const st = storage();
  if (!st) return 0;
  let n = 0;
  for (const d of await listNewestDrafts(st)) {
    const stored = await getAnnotation(db, d.taskId, d.unitCode);
    if (stored && stored.updatedAt >= d.at) {
      removeDraft(st, d.key, d.at);
      continue;
    }
    const r = await saveAnnotation(db, d.taskId, d.unitCode, d.fields, d.author, 'draft', { recordBlank: d.checked === true });
    if (r.ok) {
      removeDraft(st, d.key, d.at);
      n++;
    }
  }
  return n;
}

/** Saves every editor's pending edits when the page is hidden or closed (Electron closing the window, a tab closing). */
export function installFlushOnHide(): () => void {
  const onHide = () => void settlePendingEdits();
  const onVis = () => {
    if (document.visibilityState === 'hidden') onHide();
  };
  window.addEventListener('pagehide', onHide);
  window.addEventListener('beforeunload', onHide);
  document.addEventListener('visibilitychange', onVis);
  return () => {
    window.removeEventListener('pagehide', onHide);
    window.removeEventListener('beforeunload', onHide);
    document.removeEventListener('visibilitychange', onVis);
  };
}
