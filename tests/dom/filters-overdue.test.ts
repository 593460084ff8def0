/**
 * The 已超期 filter that the dashboard's overdue figures open: past the deadline and neither
 * implemented (已完成, 基本完成) nor 不涉及; a task without an annotation is never overdue. Hand-picked cases.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey, emptyFields, type Annotation, type AnnotationFields } from '../../src-main/shared/domain';
import { testCorpus } from '../support/corpus';
import { applyFilters, countActiveFilters, emptyFilters } from '../../src-renderer/src/db/filters';

const tasks = testCorpus().tasks;
const TODAY = '2025-06-15';
const UNIT = '320102';

function annotation(taskId: string, patch: Partial<AnnotationFields>): Annotation {
  return {
    ...emptyFields(), ...patch, key: annotationKey(taskId, UNIT), taskId, unitCode: UNIT, head: `h-${taskId}`,
    updatedAt: '2025-06-01T00:00:00.000Z', updatedBy: { name: '测试', unitCode: UNIT },
  };
}

describe('已超期 filter', () => {
  const anns = new Map<string, Annotation>([
    ['T1-01', annotation('T1-01', { status: 'on_track', deadline: '2025-06-14' })], // overdue by one day
    ['T1-02', annotation('T1-02', { status: 'on_track', deadline: '2025-06-15' })], // due today: not yet
    ['T1-03', annotation('T1-03', { status: 'done', deadline: '2024-01-01' })], // done: never overdue
    ['T1-04', annotation('T1-04', { status: 'not_applicable', deadline: '2024-01-01' })], // 不涉及
    ['T1-05', annotation('T1-05', { status: 'mostly_done', deadline: '2025-01-31' })], // 基本完成 counts as done: not overdue
    ['T1-07', annotation('T1-07', { status: 'not_started', deadline: '2025-03-31' })], // not started, deadline passed: overdue
    ['T1-06', annotation('T1-06', { status: 'delayed', deadline: null })], // delayed, no deadline: not overdue
  ]);
  const data = { annotationsByTask: anns, evidenceCountByKey: new Map<string, number>() };

  it('keeps exactly the tasks past their deadline that are not implemented or not applicable', () => {
    const shown = applyFilters(tasks, data, { ...emptyFilters(UNIT), overdue: true }, TODAY);
    expect(shown.map((t) => t.id)).toEqual(['T1-01', 'T1-07']);
  });

  it('combines with the status filter and counts as one condition', () => {
    const f = { ...emptyFilters(UNIT), overdue: true, statuses: ['not_started' as const] };
    expect(applyFilters(tasks, data, f, TODAY).map((t) => t.id)).toEqual(['T1-07']);
    expect(applyFilters(tasks, data, { ...f, statuses: ['mostly_done' as const] }, TODAY).map((t) => t.id)).toEqual([]);
    expect(countActiveFilters(f)).toBe(2);
  });
});
