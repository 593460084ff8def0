/** Navigation state: which view, which task, the search text and the task-list filters. */
import { create } from 'zustand';
import type { Status } from '../../../src-main/shared/domain';
import type { Light } from '../../../src-main/shared/rules';

export type View = 'tasks' | 'monthly' | 'matrix' | 'dashboard' | 'cases' | 'reports' | 'bundles' | 'periods' | 'rounds' | 'reader' | 'settings';

/** What the task list shows; the same shape as db/filters.ts's TaskFilters. */
export interface UiFilters {
  tables: number[];
  groups: string[];
  domains: string[];
  statuses: Status[];
  lights: Light[];
  hasProblems: boolean;
  flagged: boolean;
  doneWithoutEvidence: boolean;
  query: string;
  /** Past its deadline, not 已完成 / 不涉及 (set from the dashboard's overdue figures). */
  overdue: boolean;
}

export const initialFilters: UiFilters = {
  tables: [],
  groups: [],
  domains: [],
  statuses: [],
  lights: [],
  hasProblems: false,
  flagged: false,
  doneWithoutEvidence: false,
  query: '',
  overdue: false,
};

interface UiState {
  view: View;
  selectedTaskId: string | null;
  filters: UiFilters;
  /** Measure the reader should scroll to (set when following a task's measure link). */
  readerMeasure: number | null;
  /**
   * A task opened from the keyboard (Enter in the search box or on a row, Alt+↓/↑ from the form):
   * once its form is there, focus goes to this field (an element id in the form).
   */
  formFocus: { taskId: string; field: string } | null;
}

interface UiActions {
  setView(view: View): void;
  selectTask(id: string | null): void;
  setQuery(query: string): void;
  setFilters(patch: Partial<UiFilters>): void;
  showMeasure(measure: number): void;
  openTask(id: string): void;
  /** Opens a task and puts the keyboard in its annotation form (`field`: an element id, default the status). */
  editTask(id: string, field?: string): void;
  /** The form took the focus it was asked for. */
  clearFormFocus(): void;
}

export const initialUiState: UiState = { view: 'tasks', selectedTaskId: null, filters: initialFilters, readerMeasure: null, formFocus: null };

/** The annotation form's first field, where opening a task from the keyboard puts the cursor. */
export const FIRST_FORM_FIELD = 'field-status';

export const useUiStore = create<UiState & UiActions>()((set) => ({
  ...initialUiState,
  setView: (view) => set({ view }),
  // A selection made otherwise (a click, j/k, going back after a refused leave) drops a pending focus request.
  selectTask: (selectedTaskId) => set({ selectedTaskId, formFocus: null }),
  setQuery: (query) => set((s) => ({ filters: { ...s.filters, query } })),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  showMeasure: (readerMeasure) => set({ view: 'reader', readerMeasure }),
  openTask: (id) => set({ view: 'tasks', selectedTaskId: id }),
  editTask: (id, field = FIRST_FORM_FIELD) => set({ view: 'tasks', selectedTaskId: id, formFocus: { taskId: id, field } }),
  clearFormFocus: () => set({ formFocus: null }),
}));
