/** Navigation state: which view, which task, what the search box says. */
import { create } from 'zustand';

export type View = 'tasks' | 'reader';

interface UiState {
  view: View;
  selectedTaskId: string | null;
  query: string;
  /** Measure the reader should scroll to (set when following a task's measure link). */
  readerMeasure: number | null;
}

interface UiActions {
  setView(view: View): void;
  selectTask(id: string | null): void;
  setQuery(query: string): void;
  showMeasure(measure: number): void;
  openTask(id: string): void;
}

export const initialUiState: UiState = { view: 'tasks', selectedTaskId: null, query: '', readerMeasure: null };

export const useUiStore = create<UiState & UiActions>()((set) => ({
  ...initialUiState,
  setView: (view) => set({ view }),
  selectTask: (selectedTaskId) => set({ selectedTaskId }),
  setQuery: (query) => set({ query }),
  showMeasure: (readerMeasure) => set({ view: 'reader', readerMeasure }),
  openTask: (id) => set({ view: 'tasks', selectedTaskId: id }),
}));
