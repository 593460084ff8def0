/**
 * The task list's filters: each condition, and combinations, give exactly the tasks a person would
 * pick out by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STATUSES, annotationKey, emptyFields, type Annotation, type AnnotationFields, type Status } from '../../src-main/shared/domain';
import { testCorpus } from '../support/corpus';
import type { Corpus, Task } from '../../src-main/shared/corpus/types';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { addEvidence, countEvidenceByKey, deleteEvidence, listAnnotations, saveAnnotation } from '../../src-renderer/src/db/repo';
import { annotationsByTask, applyFilters, countActiveFilters, emptyFilters, type TaskFilters } from '../../src-renderer/src/db/filters';
import { createSearchIndex, searchAll } from '../../src-renderer/src/db/search';

const corpus: Corpus = testCorpus();
const TODAY = '2025-06-15';
const UNIT = '320102';

function annotation(taskId: string, patch: Partial<AnnotationFields>, unitCode = UNIT): Annotation {
  return {
    ...emptyFields(), ...patch, key: annotationKey(taskId, unitCode), taskId, unitCode, head: `h-${taskId}`,
    updatedAt: '2025-06-01T00:00:00.000Z', updatedBy: { name: '测试', unitCode },
  };
}
const filters = (patch: Partial<TaskFilters>): TaskFilters => ({ ...emptyFilters(UNIT), ...patch });
const ids = (tasks: Task[]) => tasks.map((t) => t.id);

describe('a hand-made case', () => {
  const anns = new Map<string, Annotation>([
    ['T1-01', annotation('T1-01', { status: 'delayed', deadline: '2026-12-31' })], // red: delayed
    ['T1-02', annotation('T1-02', { status: 'on_track', deadline: '2025-05-31' })], // red: past deadline
    ['T1-03', annotation('T1-03', { status: 'delayed', problems: '缺少用地' })], // red: delayed
    ['T1-04', annotation('T1-04', { status: 'on_track', deadline: '2025-07-10' })], // yellow: 25 days left
    ['T1-05', annotation('T1-05', { status: 'done', deadline: '2024-01-01', isBestPractice: true })], // green: done
    ['T2-01', annotation('T2-01', { status: 'delayed' })], // red, but table 2
  ]);
  const data = { annotationsByTask: anns, evidenceCountByKey: new Map<string, number>() };
  const run = (f: Partial<TaskFilters>) => ids(applyFilters(corpus.tasks, data, filters(f), TODAY));

  it('表1 + 进度滞后 + 红灯 lists exactly the delayed tasks of table 1', () => {
    expect(run({ tables: [1], statuses: ['delayed'], lights: ['red'] })).toEqual(['T1-01', 'T1-03']);
  });

  it('红灯 also catches unfinished tasks past their deadline; 黄灯 those due within 30 days', () => {
    expect(run({ tables: [1], lights: ['red'] })).toEqual(['T1-01', 'T1-02', 'T1-03']);
    expect(run({ lights: ['yellow'] })).toEqual(['T1-04']);
    expect(run({ tables: [1, 2], lights: ['red'] })).toEqual(['T1-01', 'T1-02', 'T1-03', 'T2-01']);
  });

  it('a task nobody annotated counts as 未启动 without a deadline: no light, never green', () => {
    const notStarted = run({ statuses: ['not_started'] });
    expect(notStarted).toHaveLength(corpus.tasks.length - anns.size);
    expect(notStarted).not.toContain('T1-01');
    expect(run({ lights: ['none'] })).toEqual(notStarted);
    expect(run({ lights: ['green'] })).toEqual(['T1-05']);
  });

  it('has problems, flagged, done without evidence', () => {
    expect(run({ hasProblems: true })).toEqual(['T1-03']);
    expect(run({ flagged: true })).toEqual(['T1-05']);
    expect(run({ doneWithoutEvidence: true })).toEqual(['T1-05']);
    expect(ids(applyFilters(corpus.tasks, { ...data, evidenceCountByKey: { 'T1-05|320102': 1 } }, filters({ doneWithoutEvidence: true }), TODAY))).toEqual([]);
  });

  it('no conditions: every task, in order', () => {
    expect(run({})).toEqual(ids(corpus.tasks));
    expect(countActiveFilters(filters({}))).toBe(0);
    expect(countActiveFilters(filters({ tables: [1], statuses: ['delayed'], lights: ['red'], flagged: true }))).toBe(4);
  });
});

describe('a generated unit with every status, deadline and flag', () => {
  // Deterministic variety: statuses in turn, deadlines past / within 30 days / far / none, every
  // seventh task unannotated.
  const deadlines = ['2025-05-01', '2025-07-01', '2026-06-30', null, '2025-06-15', '2025-07-15', '2025-07-16'];
  const anns = new Map<string, Annotation>();
  corpus.tasks.forEach((t, i) => {
    if (i % 7 === 6) return;
    anns.set(t.id, annotation(t.id, {
      status: STATUSES[i % STATUSES.length]!,
      deadline: deadlines[i % deadlines.length]!,
      problems: i % 3 === 0 ? '推进缓慢' : '',
      isInnovation: i % 8 === 0,
      isBestPractice: i % 11 === 0,
    }));
  });
  const evidence = new Map(corpus.tasks.filter((_, i) => i % 4 === 0).map((t) => [annotationKey(t.id, UNIT), 2]));
  const data = { annotationsByTask: anns, evidenceCountByKey: evidence };

  /** DESIGN.md's rule, written out here on its own. */
  const light = (a: Annotation | undefined): string => {
    if (!a) return 'none';
    if (a.status === 'done' || a.status === 'mostly_done' || a.status === 'not_applicable') return 'green';
    if (a.status === 'delayed') return 'red';
    if (a.deadline) {
      const days = (Date.parse(a.deadline) - Date.parse(TODAY)) / 86_400_000;
      if (days < 0) return 'red';
      if (days <= 30) return 'yellow';
    } else if (a.status === 'not_started') return 'none';
    return 'green';
  };
  const status = (a: Annotation | undefined): Status => a?.status ?? 'not_started';

  const combos: [string, Partial<TaskFilters>, (t: Task, a: Annotation | undefined) => boolean][] = [
    ['表1 + 进度滞后 + 红灯', { tables: [1], statuses: ['delayed'], lights: ['red'] }, (t, a) => t.table === 1 && status(a) === 'delayed' && light(a) === 'red'],
    ['表1 + 序时推进 + 红灯', { tables: [1], statuses: ['on_track'], lights: ['red'] }, (t, a) => t.table === 1 && status(a) === 'on_track' && light(a) === 'red'],
    ['黄灯 or 红灯 + 有问题', { lights: ['yellow', 'red'], hasProblems: true }, (_t, a) => ['yellow', 'red'].includes(light(a)) && !!a?.problems],
    ['表4/表5 + 未启动', { tables: [4, 5], statuses: ['not_started'] }, (t, a) => [4, 5].includes(t.table) && status(a) === 'not_started'],
    ['已完成无佐证', { doneWithoutEvidence: true }, (t, a) => status(a) === 'done' && !evidence.get(annotationKey(t.id, UNIT))],
    ['未亮灯 (未启动, no deadline, or not annotated)', { lights: ['none'] }, (_t, a) => light(a) === 'none'],
    ['案例 + 绿灯', { flagged: true, lights: ['green'] }, (_t, a) => !!a && (a.isInnovation || a.isBestPractice) && light(a) === 'green'],
    ['科技服务领域 + 基本完成/已完成', { domains: ['科技服务领域'], statuses: ['mostly_done', 'done'] }, (t, a) => t.domain === '科技服务领域' && ['mostly_done', 'done'].includes(status(a))],
    ['类别 深化放管服改革', { groups: ['深化放管服改革'] }, (t) => t.group === '深化放管服改革'],
  ];

  it.each(combos)('%s lists exactly the matching tasks', (_name, f, pick) => {
    const expected = corpus.tasks.filter((t) => pick(t, anns.get(t.id))).map((t) => t.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(applyFilters(corpus.tasks, data, filters(f), TODAY))).toEqual(expected);
  });
});

describe('with the database and the search index', () => {
  let db: PilotDb | null = null;
  afterEach(() => db?.close());

  it('done without evidence ignores deleted evidence; the query keeps tasks with a hit of this unit', async () => {
    db = createDb(`filters-${crypto.randomUUID()}`);
    await openDatabase(db, { persist: false });
    const me = { name: '测试', unitCode: UNIT };
    for (const id of ['T1-09', 'T1-10', 'T2-01']) await saveAnnotation(db, id, UNIT, { ...emptyFields(), status: 'done', problems: id === 'T2-01' ? '台账缺失' : '' }, me);
    await saveAnnotation(db, 'T1-09', '320104', { ...emptyFields(), status: 'done', problems: '台账缺失' }, me);
    await addEvidence(db, { taskId: 'T1-09', unitCode: UNIT, title: '方案', kind: 'policy', docNumber: '', date: null }, null, me);
    const gone = await addEvidence(db, { taskId: 'T1-10', unitCode: UNIT, title: '误传', kind: 'other', docNumber: '', date: null }, null, me);
    if (gone.ok) await deleteEvidence(db, gone.value.id, me);

    const annotations = await listAnnotations(db, { unitCode: UNIT });
    const data = { annotationsByTask: annotationsByTask(annotations, UNIT), evidenceCountByKey: await countEvidenceByKey(db, { unitCode: UNIT }) };
    expect(ids(applyFilters(corpus.tasks, data, filters({ doneWithoutEvidence: true }), TODAY))).toEqual(['T1-10', 'T2-01']);

    const index = createSearchIndex(corpus, { annotations: await listAnnotations(db) });
    const hits = searchAll(index, '台账缺失');
    expect(ids(applyFilters(corpus.tasks, { ...data, hits }, filters({ query: '台账缺失' }), TODAY))).toEqual(['T2-01']);
    expect(ids(applyFilters(corpus.tasks, { ...data, hits }, filters({ query: '台账缺失', unitCode: null }), TODAY))).toEqual(['T1-09', 'T2-01']);
    // Without hits, the query looks at the task text only.
    expect(ids(applyFilters(corpus.tasks, data, filters({ query: 'rcep' }), TODAY))).toEqual(['T1-39', 'T4-13']);
  });
});
