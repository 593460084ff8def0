/**
 * Click-through from the dashboard: a drill target becomes the task list's filters (every other
 * filter and the search cleared, so the list shows exactly what the element counted), the unit
 * switches to the target's unit, and the view changes to the task list.
 */
import type { DrillTarget } from '../../../../src-main/shared/dashboard/aggregate';
import { initialFilters, useUiStore } from '../../store/uiStore';
import { useSessionStore } from '../../store/sessionStore';
import { settlePendingEdits } from '../../db/mutate';

export async function openDrill(target: DrillTarget & { unitCode: string }): Promise<void> {
  await settlePendingEdits();
  useSessionStore.getState().setUnit(target.unitCode);
  const ui = useUiStore.getState();
  ui.setFilters({
    ...initialFilters,
    tables: target.table !== undefined ? [target.table] : [],
    groups: target.group !== undefined ? [target.group] : [],
    statuses: target.statuses ?? [],
    lights: target.light ? [target.light] : [],
    overdue: !!target.overdue,
    hasProblems: !!target.hasProblems,
  });
  ui.selectTask(null);
  ui.setView('tasks');
}

/** Opens one task of one unit (a row of the overdue or problems list). */
export async function openTaskOfUnit(taskId: string, unitCode: string): Promise<void> {
  await settlePendingEdits();
  useSessionStore.getState().setUnit(unitCode);
  useUiStore.getState().openTask(taskId);
}
