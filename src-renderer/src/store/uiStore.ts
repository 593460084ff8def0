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
}

interface UiActions {
  setView(view: View): void;
  selectTask(id: string | null): void;
  setQuery(query: string): void;
  setFilters(patch: Partial<UiFilters>): void;
  showMeasure(measure: number): void;
  openTask(id: string): void;
}

export const initialUiState: UiState = { view: 'tasks', selectedTaskId: null, filters: initialFilters, readerMeasure: null };

export const useUiStore = create<UiState & UiActions>()((set) => ({
  ...initialUiState,
  setView: (view) => set({ view }),
  selectTask: (selectedTaskId) => set({ selectedTaskId }),
  setQuery: (query) => set((s) => ({ filters: { ...s.filters, query } })),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  showMeasure: (readerMeasure) => set({ view: 'reader', readerMeasure }),
  openTask: (id) => set({ view: 'tasks', selectedTaskId: id }),
}));
