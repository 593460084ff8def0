/**
 * Which tasks hold content that is not saved: the open task while a field of it is in error, and
 * every other task whose journal still holds a draft (left with a field in error, or a save that
 * failed). The task tree marks them, and the report builder lists them, since a report counts only
 * what is saved.
 */
import { create } from 'zustand';
import { listDrafts } from './draftJournal';
import { useAnnotationEditor } from './annotationStore';

export interface UnsavedTask {
  key: string;
  taskId: string;
  unitCode: string;
}

export const useUnsavedEdits = create<{ items: UnsavedTask[] }>()(() => ({ items: [] }));

const inError = (state: string) => state === 'invalid' || state === 'error';

/** Reads the journal and the open editor again. */
export function refreshUnsaved(): void {
  const ed = useAnnotationEditor.getState();
  const drafts = typeof localStorage === 'undefined' ? [] : listDrafts(localStorage);
  const byKey = new Map<string, UnsavedTask>();
  for (const d of drafts) {
    // The open task's draft is only the typing the autosave is about to save, unless it is in error.
    if (d.key === ed.key && !inError(ed.saveState)) continue;
    byKey.set(d.key, { key: d.key, taskId: d.taskId, unitCode: d.unitCode });
  }
  if (ed.key && ed.taskId && ed.unitCode && inError(ed.saveState)) byKey.set(ed.key, { key: ed.key, taskId: ed.taskId, unitCode: ed.unitCode });
  const items = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const before = useUnsavedEdits.getState().items;
  if (items.length !== before.length || items.some((x, i) => x.key !== before[i]!.key)) useUnsavedEdits.setState({ items });
}

// The list moves when the open task, its save state or the journal (after a save) moves.
useAnnotationEditor.subscribe((s, prev) => {
  if (s.key !== prev.key || s.saveState !== prev.saveState) refreshUnsaved();
});
