/**
 * The domain rules of rules.ts, and that every place that shows them — the dashboard, the task list's
 * filters, the Word/Excel report model — applies the same one. Expected values are written out by
 * hand from the rule, not computed with the code under test.
 *
 * Where earlier copies disagreed, the choice pinned here:
 *  - 基本完成 counts as done for deadlines: it is 已实施 in every share, so it is never also listed
 *    as 已超期 (reports printed 基本完成 tasks as 「已超期…天」) nor lit red or yellow;
 *  - a task × unit without an annotation, and a 未启动 task without a deadline, has no light ('none'),
 *    never green (the dashboard showed nearly every unannotated task as 绿灯);
 *  - 发文机关: 南京市玄武区人民政府, 南京江北新区管理委员会, 南京市商务局 — the same in the report builder,
 *    the case collection and the CLI (one wrote 江北新区管理委员会, the others the bare 江北新区).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNITS, STATUSES, type Status } from '../../src-main/shared/domain';
import { IMPLEMENTED_STATUSES, cityTaskStatus, daysOverdue, isImplemented, isOverdue, issuerOf, trafficLight } from '../../src-main/shared/rules';
import { dashboardData } from '../../src-main/shared/dashboard/aggregate';
import { buildReportModel, summarySentences } from '../../src-main/shared/report/model';
import { defaultIssuer } from '../../src-main/cli/commands/report';
import { applyFilters, emptyFilters } from '../../src-renderer/src/db/filters';
import { UNITS, ann, corpus } from './report-fixtures';

const TODAY = '2025-06-15';

describe('已实施', () => {
  it('is 已完成 and 基本完成, nothing else', () => {
    expect(STATUSES.filter(isImplemented)).toEqual(['mostly_done', 'done']);
    expect([...IMPLEMENTED_STATUSES].sort()).toEqual(['done', 'mostly_done']);
  });
});

describe('已超期', () => {
  const cases: [Status, string | null, number | null][] = [
    ['on_track', '2025-06-14', 1], // one day past
    ['on_track', '2025-06-15', null], // due today: not yet
    ['not_started', '2022-12-29', 899], // the plan's date, never touched
    ['delayed', '2025-01-01', 165],
    ['delayed', null, null], // late, but no deadline to be past
    ['mostly_done', '2022-12-29', null], // 基本完成 counts as done
    ['done', '2022-12-29', null],
    ['not_applicable', '2022-12-29', null], // 不涉及 is never overdue
  ];
  it.each(cases)('%s with deadline %s: %s days', (status, deadline, days) => {
    expect(daysOverdue({ status, deadline }, TODAY)).toBe(days);
    expect(isOverdue({ status, deadline }, TODAY)).toBe(days !== null);
  });
});

describe('traffic light', () => {
  const cases: [Status, string | null, string][] = [
    ['delayed', null, 'red'],
    ['delayed', '2030-01-01', 'red'],
    ['on_track', '2025-06-14', 'red'], // past its deadline
    ['not_started', '2025-06-14', 'red'],
    ['on_track', '2025-06-15', 'yellow'], // due today
    ['on_track', '2025-07-15', 'yellow'], // 30 days left
    ['on_track', '2025-07-16', 'green'], // 31 days left
    ['not_started', '2025-07-01', 'yellow'],
    ['not_started', '2026-12-31', 'green'], // not started, but time enough
    ['not_started', null, 'none'], // nothing to be on time for: unlit, not green
    ['on_track', null, 'green'],
    ['mostly_done', '2025-01-01', 'green'], // 基本完成 past its deadline: done for deadlines
    ['mostly_done', '2025-06-20', 'green'],
    ['done', '2025-01-01', 'green'],
    ['not_applicable', '2025-01-01', 'green'],
  ];
  it.each(cases)('%s with deadline %s is %s', (status, deadline, light) => {
    expect(trafficLight({ status, deadline }, TODAY)).toBe(light);
  });
});

describe('one rule everywhere: dashboard, task-list filters and report agree', () => {
  const U = '320102';
  const annotations = [
    ann('T1-01', U, { status: 'on_track', deadline: '2025-06-01' }), // overdue 14, red
    ann('T1-02', U, { status: 'mostly_done', deadline: '2023-06-30' }), // done for deadlines, green
    ann('T1-03', U, { status: 'delayed', deadline: '2025-07-01' }), // red, not overdue
    ann('T1-04', U, { status: 'not_started', deadline: '2025-07-10' }), // yellow
    ann('T1-05', U, { status: 'not_started' }), // unlit
    ann('T2-01', U, { status: 'not_applicable', deadline: '2023-01-01' }), // green, never overdue
    ann('T2-02', U, { status: 'done', deadline: '2023-01-01' }), // green
  ];
  const c = corpus();
  const tasks = c.tasks;
  const dash = dashboardData({
    tasks,
    tables: c.tables,
    units: [{ code: U, name: '玄武区' }],
    annotations,
    asOf: TODAY,
  });
  const report = buildReportModel({
    kind: 'district', corpus: c, units: UNITS, annotations, logEntries: [], evidence: [],
    scope: { unitCodes: [U], tables: [], statuses: [] }, asOf: TODAY, title: '', issuer: issuerOf(UNITS[0]), signDate: TODAY,
  });
  if (!report.ok) throw new Error(report.error.message);
  const m = report.value;
  const data = { annotationsByTask: new Map(annotations.map((a) => [a.taskId, a])), evidenceCountByKey: new Map<string, number>() };
  const listed = (f: Partial<ReturnType<typeof emptyFilters>>) => applyFilters(tasks, data, { ...emptyFilters(U), ...f }, TODAY).map((t) => t.id);

  it('lists the same overdue tasks, with the same days', () => {
    expect(dash.overdue.map((o) => [o.taskId, o.daysOverdue])).toEqual([['T1-01', 14]]);
    expect(listed({ overdue: true })).toEqual(['T1-01']);
    expect(m.overdueCount).toBe(1);
    expect(m.lagging.filter((l) => l.daysOverdue !== null).map((l) => [l.taskId, l.daysOverdue])).toEqual([['T1-01', 14]]);
    expect(m.ledger.filter((r) => r.remarks.includes('已超完成时限')).map((r) => [r.taskId, r.remarks.match(/已超完成时限(\d+)天/)?.[1]])).toEqual([['T1-01', '14']]);
  });

  it('counts the same lights; the report and the dashboard leave unannotated tasks unlit', () => {
    // The report and the dashboard both count every task of the unit: the 104 − 7 unannotated ones are unlit too.
    expect(dash.overall.lights).toEqual({ red: 2, yellow: 1, green: 3, none: 1 + tasks.length - annotations.length });
    expect(m.overall.lights).toEqual(dash.overall.lights);
    expect(listed({ lights: ['red'] })).toEqual(['T1-01', 'T1-03']);
    expect(listed({ lights: ['yellow'] })).toEqual(['T1-04']);
    expect(listed({ lights: ['green'] })).toEqual(['T1-02', 'T2-01', 'T2-02']);
    expect(listed({ lights: ['none'] })).toHaveLength(1 + tasks.length - annotations.length);
  });

  it('says so in the report: unlit tasks are named, not counted as green; 基本完成 is not lagging', () => {
    const text = summarySentences(m).join('');
    expect(text).toContain(`红灯2项、黄灯1项、绿灯3项，另有未启动且未定完成时限的任务${1 + tasks.length - annotations.length}项未亮灯`);
    expect(text).not.toMatch(/绿灯(?!3项)\d+项/);
    expect(m.lagging.map((l) => l.taskId)).toEqual(['T1-01', 'T1-03']);
    expect(m.overall.implemented).toBe(2);
  });
});

describe('发文机关', () => {
  it('is the full official name of each shipped unit', () => {
    expect(DEFAULT_UNITS.map((u) => issuerOf(u))).toEqual([
      '南京市玄武区人民政府',
      '南京市秦淮区人民政府',
      '南京市建邺区人民政府',
      '南京市鼓楼区人民政府',
      '南京市浦口区人民政府',
      '南京市栖霞区人民政府',
      '南京市雨花台区人民政府',
      '南京市江宁区人民政府',
      '南京市六合区人民政府',
      '南京市溧水区人民政府',
      '南京市高淳区人民政府',
      '南京江北新区管理委员会',
      '南京市商务局',
    ]);
  });

  it('is 南京市商务局 for the city and for no single unit, and does not repeat 南京市', () => {
    expect(issuerOf(null)).toBe('南京市商务局');
    expect(issuerOf({ name: '南京市玄武区', kind: 'district' })).toBe('南京市玄武区人民政府');
    expect(issuerOf({ name: '南京江北新区', kind: 'zone' })).toBe('南京江北新区管理委员会');
  });

  it('is what the CLI signs with', () => {
    const jbxq = DEFAULT_UNITS.find((u) => u.code === 'JBXQ')!;
    expect(defaultIssuer('district', [jbxq])).toBe('南京江北新区管理委员会');
    expect(defaultIssuer('district', [DEFAULT_UNITS[0]!])).toBe('南京市玄武区人民政府');
    expect(defaultIssuer('city', [DEFAULT_UNITS[0]!])).toBe('南京市商务局');
    expect(defaultIssuer('ledger', [...DEFAULT_UNITS])).toBe('南京市商务局');
  });
});

describe('cityTaskStatus: one status per task for the city', () => {
  const d = (status: Status, deadline: string | null = null) => ({ unitKind: 'district' as const, annotation: { status, deadline } });
  const asOf = '2025-06-30';
  it('takes the 市级部门 record where there is one, whatever the districts say', () => {
    expect(cityTaskStatus([d('delayed', '2025-03-31'), { unitKind: 'city', annotation: { status: 'done', deadline: '2025-12-31' } }], asOf)).toEqual({ status: 'done', source: 'city', deadline: '2025-12-31' });
  });
  it('derives the status from the districts that do not mark 不涉及', () => {
    expect(cityTaskStatus([d('done'), d('not_applicable'), d('done')], asOf).status).toBe('done');
    expect(cityTaskStatus([d('done'), d('mostly_done')], asOf).status).toBe('mostly_done');
    expect(cityTaskStatus([d('done'), d('on_track')], asOf).status).toBe('on_track');
    expect(cityTaskStatus([d('not_started'), d('not_started')], asOf).status).toBe('not_started');
    expect(cityTaskStatus([d('not_applicable'), d('not_applicable')], asOf).status).toBe('not_applicable');
    expect(cityTaskStatus([d('done'), d('delayed')], asOf).status).toBe('delayed');
  });
  it('counts an unfinished task past its deadline as 进度滞后, and a unit without a record as 未启动', () => {
    expect(cityTaskStatus([d('done'), d('on_track', '2025-01-31')], asOf).status).toBe('delayed');
    expect(cityTaskStatus([d('done'), { unitKind: 'district', annotation: null }], asOf).status).toBe('on_track');
    expect(cityTaskStatus([{ unitKind: 'city', annotation: null }, d('done')], asOf)).toEqual({ status: 'done', source: 'derived', deadline: null });
  });
  it("the city's deadline is the earliest of the units that have not implemented the task", () => {
    // 已完成 (2025-01-31) and 不涉及 (2025-02-28) do not set it; of the open ones the earliest does.
    const units = [d('done', '2025-01-31'), d('not_applicable', '2025-02-28'), d('on_track', '2025-12-31'), d('not_started', '2025-09-30'), d('on_track')];
    expect(cityTaskStatus(units, asOf)).toEqual({ status: 'on_track', source: 'derived', deadline: '2025-09-30' });
    expect(cityTaskStatus([d('done', '2025-01-31'), d('mostly_done', '2025-03-31')], asOf).deadline).toBeNull();
  });
});
