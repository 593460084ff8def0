/**
 * The dashboard's figures and the monthly series, against small fixtures counted by hand: every
 * expected number below was written down from the fixture, not computed with the code under test.
 */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src-main/shared/domain';
import { dashboardData, drillCounts, type DashboardAnnotation, type DashboardInput } from '../../src-main/shared/dashboard/aggregate';
import { cityOf, cutoffDates, historiesFromRevisions, monthlySeries, type StatusHistory } from '../../src-main/shared/dashboard/monthly';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { DEFAULT_UNITS } from '../../src-main/shared/domain';
import { testCorpus } from '../support/corpus';
import { dashboardImplementedShare, dashboardLights, dashboardStatusByGroup, dashboardStatusByTable, dashboardStatusByUnit } from '../../src-main/shared/dashboard/charts';
import { ZH_CHART_LABELS, statusByTableChart, statusTrendChart } from '../../src-main/shared/report/charts';
import type { ReportModel } from '../../src-main/shared/report/model';
import i18n from '../../src-renderer/src/i18n';
import { chartLabels } from '../../src-renderer/src/features/dashboard/chartLabels';

const AS_OF = '2025-03-10';

const TASKS = [
  { id: 'T1-01', table: 1, group: '甲类', text: '任务一，说明' },
  { id: 'T1-02', table: 1, group: '甲类', text: '任务二' },
  { id: 'T1-03', table: 1, group: '乙类', text: '任务三' },
  { id: 'T2-01', table: 2, group: '丙类', text: '任务四' },
];
const TABLES = [
  { number: 1, title: '表一' },
  { number: 2, title: '表二' },
];
const UNITS = [
  { code: 'U1', name: '甲区' },
  { code: 'U2', name: '乙区' },
];

function a(taskId: string, unitCode: string, status: Status, deadline: string | null = null, problems = ''): DashboardAnnotation {
  return { taskId, unitCode, status, deadline, problems };
}

// Hand-counted (as of 2025-03-10):
//  T1-01 U1 done, deadline passed          → green, not overdue
//  T1-02 U1 delayed, deadline 2025-12-31   → red (delayed), not overdue, problem
//  T1-03 U1 on_track, deadline 2025-03-01  → red, overdue 9 days
//  T2-01 U1 not_applicable                 → green
//  T1-01 U2 mostly_done, due 2025-03-20    → green (基本完成 is done as far as deadlines go)
//  T1-02 U2 — no annotation                → 未启动 without a deadline: no light (never green)
//  T1-03 U2 on_track, deadline 2025-02-01  → red, overdue 37 days, problem
//  T2-01 U2 done                           → green
//  T9-99 U3 — a unit not in view, ignored
const ANNOTATIONS = [
  a('T1-01', 'U1', 'done', '2025-01-01'),
  a('T1-02', 'U1', 'delayed', '2025-12-31', '资金未到位'),
  a('T1-03', 'U1', 'on_track', '2025-03-01'),
  a('T2-01', 'U1', 'not_applicable'),
  a('T1-01', 'U2', 'mostly_done', '2025-03-20'),
  a('T1-03', 'U2', 'on_track', '2025-02-01', '  场地未落实 '),
  a('T2-01', 'U2', 'done'),
  a('T1-01', 'U3', 'delayed', '2024-01-01', '不应出现'),
];

const INPUT: DashboardInput = { tasks: TASKS, tables: TABLES, units: UNITS, annotations: ANNOTATIONS, asOf: AS_OF };

describe('dashboard figures (全市, two units)', () => {
  const d = dashboardData(INPUT);

  it('counts statuses per table, a missing annotation as 未启动', () => {
    expect(d.byTable.map((r) => r.key)).toEqual(['表1', '表2']);
    const t1 = d.byTable[0]!;
    expect(t1.total).toBe(6);
    expect(t1.byStatus).toEqual({ not_started: 1, on_track: 2, delayed: 1, mostly_done: 1, done: 1, not_applicable: 0 });
    expect(t1.implemented).toBe(2);
    expect(t1.applicable).toBe(6);
    expect(t1.implementedShare).toBeCloseTo(2 / 6);
    const t2 = d.byTable[1]!;
    expect(t2.byStatus).toEqual({ not_started: 0, on_track: 0, delayed: 0, mostly_done: 0, done: 1, not_applicable: 1 });
    expect(t2.implementedShare).toBe(1);
  });

  it('counts statuses per group and per unit', () => {
    expect(d.byGroup.map((g) => [g.table, g.group, g.total])).toEqual([
      [1, '甲类', 4],
      [1, '乙类', 2],
      [2, '丙类', 2],
    ]);
    expect(d.byGroup[0]!.byStatus).toEqual({ not_started: 1, on_track: 0, delayed: 1, mostly_done: 1, done: 1, not_applicable: 0 });
    expect(d.byGroup[1]!.byStatus.on_track).toBe(2);
    expect(d.byUnit.map((u) => [u.key, u.total, u.implemented, u.applicable])).toEqual([
      ['U1', 4, 1, 3],
      ['U2', 4, 2, 4],
    ]);
    expect(d.byUnit[1]!.byStatus).toEqual({ not_started: 1, on_track: 1, delayed: 0, mostly_done: 1, done: 1, not_applicable: 0 });
  });

  it('counts red, yellow, green and unlit', () => {
    expect(d.overall.total).toBe(8);
    expect(d.overall.lights).toEqual({ red: 3, yellow: 0, green: 4, none: 1 });
  });

  it('lists overdue tasks, most days first, and tasks with problems in task order', () => {
    expect(d.overdue.map((o) => [o.taskId, o.unitCode, o.daysOverdue, o.statusLabel])).toEqual([
      ['T1-03', 'U2', 37, '序时推进'],
      ['T1-03', 'U1', 9, '序时推进'],
    ]);
    expect(d.problems.map((p) => [p.taskId, p.unitName, p.problems])).toEqual([
      ['T1-02', '甲区', '资金未到位'],
      ['T1-03', '乙区', '场地未落实'],
    ]);
  });

  it('for one unit counts only that unit', () => {
    const one = dashboardData({ ...INPUT, units: [UNITS[1]!] });
    expect(one.overall.total).toBe(4);
    expect(one.byTable[0]!.byStatus).toEqual({ not_started: 1, on_track: 1, delayed: 0, mostly_done: 1, done: 0, not_applicable: 0 });
    expect(one.overall.lights).toEqual({ red: 1, yellow: 0, green: 2, none: 1 });
    expect(one.overdue).toHaveLength(1);
    expect(one.problems.map((p) => p.taskId)).toEqual(['T1-03']);
  });

  it('counts each unit\'s tasks that a click points at', () => {
    expect(drillCounts(INPUT, { table: 1, statuses: ['on_track'] }).map((x) => x.count)).toEqual([1, 1]);
    expect(drillCounts(INPUT, { light: 'red' }).map((x) => x.count)).toEqual([2, 1]);
    expect(drillCounts(INPUT, { overdue: true }).map((x) => x.count)).toEqual([1, 1]);
    expect(drillCounts(INPUT, { statuses: ['not_started'] }).map((x) => x.count)).toEqual([0, 1]);
    expect(drillCounts(INPUT, { light: 'none' }).map((x) => x.count)).toEqual([0, 1]);
    expect(drillCounts(INPUT, { light: 'green' }).map((x) => x.count)).toEqual([2, 2]);
    expect(drillCounts(INPUT, { table: 1, group: '甲类', hasProblems: true }).map((x) => x.count)).toEqual([1, 0]);
  });
});

describe('dashboard figures, 全市 over the plan\'s tasks (city)', () => {
  // Hand-counted, each task once by the city rule (U1, U2 districts; as of 2025-03-10):
  //  T1-01 done + mostly_done                 → 基本完成, no open deadline       → green
  //  T1-02 delayed (2025-12-31) + none        → 进度滞后, deadline 2025-12-31     → red, not overdue
  //  T1-03 on_track overdue ×2                → 进度滞后, deadline 2025-02-01     → red, overdue
  //  T2-01 not_applicable + done              → 已完成                            → green
  const city = dashboardData({ ...INPUT, city: true });

  it('counts 4 tasks, not 8 task × unit pairs, overall and per table and 类别', () => {
    expect(city.basis).toBe('tasks');
    expect(city.overall.total).toBe(4);
    expect(city.overall.byStatus).toEqual({ not_started: 0, on_track: 0, delayed: 2, mostly_done: 1, done: 1, not_applicable: 0 });
    expect(city.overall.lights).toEqual({ red: 2, yellow: 0, green: 2, none: 0 });
    expect(city.overdueCount).toBe(1);
    expect(city.byTable.map((r) => [r.key, r.total])).toEqual([
      ['表1', 3],
      ['表2', 1],
    ]);
    expect(city.byGroup.map((g) => [g.group, g.total, g.byStatus.delayed])).toEqual([
      ['甲类', 2, 1],
      ['乙类', 1, 1],
      ['丙类', 1, 0],
    ]);
  });

  it("keeps each unit's figures and the lists per unit", () => {
    expect(city.byUnit.map((u) => [u.key, u.total])).toEqual([
      ['U1', 4],
      ['U2', 4],
    ]);
    expect(city.overdue.map((o) => [o.taskId, o.unitCode])).toEqual([
      ['T1-03', 'U2'],
      ['T1-03', 'U1'],
    ]);
    // Without `city`, several units count pairs.
    expect(dashboardData(INPUT).basis).toBe('pairs');
  });

  it("takes the 市级部门's own record for the task where it has one", () => {
    const withCity = dashboardData({
      ...INPUT,
      units: [...UNITS, { code: 'C', name: '市级部门', kind: 'city' }],
      annotations: [...ANNOTATIONS, a('T1-03', 'C', 'mostly_done', '2025-06-30')],
      city: true,
    });
    expect(withCity.overall.total).toBe(4);
    expect(withCity.overall.byStatus).toMatchObject({ delayed: 1, mostly_done: 2, done: 1 });
    expect(withCity.overdueCount).toBe(0);
  });
});

describe('progress over time, 全市 over the plan\'s tasks', () => {
  it('each month end counts every task once by the city rule, with the units\' deadlines', () => {
    const histories: StatusHistory[] = [
      { taskId: 'T1-01', unitCode: 'U1', points: [{ at: '2025-01-05T02:00:00Z', status: 'on_track' }, { at: '2025-02-10T02:00:00Z', status: 'done' }] },
      { taskId: 'T1-01', unitCode: 'U2', points: [{ at: '2025-02-20T02:00:00Z', status: 'mostly_done' }] },
      { taskId: 'T1-02', unitCode: 'U1', points: [{ at: '2025-01-20T02:00:00Z', status: 'delayed' }] },
    ];
    // T1-01 of U1 was due 2025-01-20: on 31 January it was 序时推进 and past due, so 进度滞后.
    const deadlines = [
      { taskId: 'T1-01', unitCode: 'U1', deadline: '2025-01-20' },
      { taskId: 'T1-01', unitCode: 'U2', deadline: null },
      { taskId: 'T1-02', unitCode: 'U1', deadline: null },
    ];
    const s = monthlySeries(histories, { asOf: AS_OF, unitCodes: ['U1', 'U2'], taskIds: ['T1-01', 'T1-02'], city: cityOf(UNITS, deadlines) })!;
    expect(s.dates).toEqual(['2025-01-31', '2025-02-28', '2025-03-10']);
    expect(s.total).toBe(2);
    expect(s.byStatus.delayed).toEqual([2, 1, 1]);
    expect(s.byStatus.mostly_done).toEqual([0, 1, 1]);
    expect(s.byStatus.on_track).toEqual([0, 0, 0]);
    // The same histories counted as pairs: 2 tasks × 2 units.
    expect(monthlySeries(histories, { asOf: AS_OF, unitCodes: ['U1', 'U2'], taskIds: ['T1-01', 'T1-02'] })!.total).toBe(4);
  });

  it("its last point is the dashboard's 全市 figures (13-unit demo city)", () => {
    const corpus = testCorpus();
    const demo = makeDemoData({ units: 13, seed: 1, corpus });
    const asOf = '2025-06-30';
    const units = DEFAULT_UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind }));
    const histories = historiesFromRevisions(demo.revisions.map((r) => ({ ...r, key: `${r.taskId}|${r.unitCode}` })));
    const s = monthlySeries(histories, { asOf, unitCodes: units.map((u) => u.code), taskIds: corpus.tasks.map((t) => t.id), city: cityOf(units, demo.annotations) })!;
    const d = dashboardData({ tasks: corpus.tasks, tables: corpus.tables, units, annotations: demo.annotations, asOf, city: true });
    expect(s.total).toBe(104);
    expect(d.overall.total).toBe(104);
    const last = s.dates.length - 1;
    for (const st of Object.keys(d.overall.byStatus) as Status[]) expect(s.byStatus[st][last], st).toBe(d.overall.byStatus[st]);
  });
});

describe('dashboard chart specs', () => {
  const d = dashboardData(INPUT);

  it('a bar segment points at its table and status', () => {
    const spec = dashboardStatusByTable(d, 'U2');
    // Series are the statuses that occur, in report order: 已完成, 基本完成, 序时推进, 进度滞后, 未启动, 不涉及.
    const series = (spec.option.series as { name: string; data: number[] }[]).map((s) => [s.name, s.data]);
    expect(series).toEqual([
      ['已完成', [1, 1]],
      ['基本完成', [1, 0]],
      ['序时推进', [2, 0]],
      ['进度滞后', [1, 0]],
      ['未启动', [1, 0]],
      ['不涉及', [0, 1]],
    ]);
    expect(spec.drill!(2, 0)).toEqual({ unitCode: 'U2', table: 1, statuses: ['on_track'] });
    expect(spec.drill!(5, 1)).toEqual({ unitCode: 'U2', table: 2, statuses: ['not_applicable'] });
    expect(spec.drill!(9, 0)).toBeNull();
  });

  it('groups, units, the implementation share and the lights point at what they show', () => {
    expect(dashboardStatusByGroup(d).drill!(0, 1)).toEqual({ unitCode: undefined, table: 1, group: '乙类', statuses: ['done'] });
    expect(dashboardStatusByUnit(d).drill!(1, 0)).toEqual({ unitCode: 'U1', statuses: ['mostly_done'] });
    const share = dashboardImplementedShare(d);
    expect((share.option.series as { data: number[] }[])[0]!.data).toEqual([33.3, 100]);
    expect(share.drill!(0, 1)).toEqual({ unitCode: undefined, table: 2, statuses: ['done', 'mostly_done'] });
    const lights = dashboardLights(d);
    expect((lights.option.series as { data: { value: number }[] }[])[0]!.data.map((x) => x.value)).toEqual([3, 0, 4, 1]);
    expect(lights.drill!(0, 1)).toEqual({ unitCode: undefined, light: 'yellow' });
    expect(lights.drill!(0, 3)).toEqual({ unitCode: undefined, light: 'none' });
  });
});

describe('chart labels', () => {
  const d = dashboardData(INPUT);
  const names = (o: { series?: unknown }) => (o.series as { name: string }[]).map((x) => x.name);
  const axisData = (a: unknown) => (a as { data: string[] }).data;

  it('the English UI gets English legends, axes, categories and captions', () => {
    const en = chartLabels(i18n.getFixedT('en'));
    const byTable = dashboardStatusByTable(d, undefined, en);
    expect(byTable.caption).toBe('Status by table');
    expect(names(byTable.option)).toEqual(['Done', 'Mostly done', 'On track', 'Delayed', 'Not started', 'Not applicable']);
    expect(axisData(byTable.option.xAxis)).toEqual(['Table 1\nImplemented 33.3%', 'Table 2\nImplemented 100.0%']);
    expect((byTable.option.yAxis as { name: string }).name).toBe('Tasks');
    // Every table keeps its label (ECharts would drop some of the wider English ones).
    expect((byTable.option.xAxis as { axisLabel: { interval: number } }).axisLabel.interval).toBe(0);
    expect(axisData(dashboardLights(d, undefined, en).option.xAxis)).toEqual(['Red', 'Yellow', 'Green', 'No light']);
    expect(axisData(dashboardImplementedShare(d, undefined, en).option.xAxis)).toEqual(['Table 1', 'Table 2']);
    expect(axisData(dashboardStatusByGroup(d, undefined, en).option.yAxis)).toEqual(['Table 1·甲类', 'Table 1·乙类', 'Table 2·丙类']);
    const tooltip = (dashboardStatusByGroup(d, undefined, en).option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(tooltip({ dataIndex: 1, seriesName: 'Done', value: 1 })).toBe('Table 1 · 乙类<br/>Done: 1 tasks');
    expect(dashboardStatusByUnit(d, en).caption).toBe('Status by unit');
  });

  it('the Chinese UI gets exactly the labels the Word report uses', () => {
    const zh = chartLabels(i18n.getFixedT('zh-CN'));
    const { table, tableWithShare, groupTooltip, ...words } = zh;
    // monthPoint is the Word report's own month axis (2023年2月, the as-of day at its end); the dashboard labels its months itself.
    const { table: zt, tableWithShare: zs, groupTooltip: zg, monthPoint: _reportOnly, ...zWords } = ZH_CHART_LABELS;
    expect(words).toEqual(zWords);
    expect([table(3), tableWithShare('表3', '12.5%'), groupTooltip(2, '丙类', '已完成', 4)]).toEqual([zt(3), zs('表3', '12.5%'), zg(2, '丙类', '已完成', 4)]);
    expect(table(3)).toBe('表3');
  });

  it('the report\'s charts stay Chinese whatever the UI language', async () => {
    await i18n.changeLanguage('en');
    try {
      const row = { key: '表1', label: '表1 甲', total: 2, implemented: 1, implementedShare: 0.5, byStatus: { not_started: 0, on_track: 1, delayed: 0, mostly_done: 0, done: 1, not_applicable: 0 } };
      const spec = statusByTableChart({ byTable: [row] } as unknown as ReportModel);
      expect(spec.caption).toBe('各表任务完成状态分布');
      expect(names(spec.option)).toEqual(['已完成', '序时推进']);
      expect(axisData(spec.option.xAxis)).toEqual(['表1\n实施率50.0%']);
      expect((spec.option.yAxis as { name: string }).name).toBe('任务数（项）');
      const trend = statusTrendChart({ unitCode: null, dates: ['2025-01-31'], labels: ['2025-01'], byStatus: { not_started: [1], on_track: [0], delayed: [0], mostly_done: [0], done: [1], not_applicable: [0] }, total: 2 });
      expect(trend.caption).toBe('试点任务完成状态月度变化');
      expect(names(trend.option)).toEqual(['已完成', '未启动']);
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});

describe('monthly series from revisions', () => {
  // Scope: units U1, U2 × tasks T1-01, T1-02 = 4 pairs; as of 2025-03-10.
  // Times in UTC; China time is +8 h.
  const histories: StatusHistory[] = [
    // Listed out of order on purpose. done at 2025-02-28T17:00Z = 2025-03-01 01:00 China → March.
    { taskId: 'T1-01', unitCode: 'U1', points: [{ at: '2025-02-28T17:00:00.000Z', status: 'done' }, { at: '2025-01-15T02:00:00.000Z', status: 'on_track' }] },
    // 2025-01-31T15:30Z = 23:30 on 31 January China → counts for January.
    { taskId: 'T1-02', unitCode: 'U1', points: [{ at: '2025-01-31T15:30:00.000Z', status: 'delayed' }, { at: '2025-03-09T10:00:00.000Z', status: 'mostly_done' }] },
    // The done revision is on 11 March China, after the as-of date: not counted.
    { taskId: 'T1-01', unitCode: 'U2', points: [{ at: '2025-02-10T00:00:00.000Z', status: 'on_track' }, { at: '2025-03-11T01:00:00.000Z', status: 'done' }] },
    // T1-02 U2 has no history → 未启动 throughout. Out of scope (unit U3, task T2-01): ignored,
    // otherwise the series would start in June 2024.
    { taskId: 'T1-01', unitCode: 'U3', points: [{ at: '2024-06-01T00:00:00.000Z', status: 'done' }] },
    { taskId: 'T2-01', unitCode: 'U1', points: [{ at: '2024-06-01T00:00:00.000Z', status: 'done' }] },
  ];
  const scope = { asOf: AS_OF, unitCodes: ['U1', 'U2'], taskIds: ['T1-01', 'T1-02'] };

  it('gives the tasks per status at each month end, China time, the last point on the as-of date', () => {
    const s = monthlySeries(histories, scope)!;
    expect(s.dates).toEqual(['2025-01-31', '2025-02-28', '2025-03-10']);
    expect(s.labels).toEqual(['2025-01', '2025-02', '2025-03-10']);
    expect(s.total).toBe(4);
    expect(s.byStatus).toEqual({
      not_started: [2, 1, 1],
      on_track: [1, 2, 1],
      delayed: [1, 1, 0],
      mostly_done: [0, 0, 1],
      done: [0, 0, 1],
      not_applicable: [0, 0, 0],
    });
    expect(s.unitCode).toBeNull();
  });

  it('for one unit counts only that unit', () => {
    const s = monthlySeries(histories, { ...scope, unitCodes: ['U2'], unitCode: 'U2' })!;
    expect(s.dates).toEqual(['2025-02-28', '2025-03-10']);
    expect(s.byStatus.on_track).toEqual([1, 1]);
    expect(s.byStatus.not_started).toEqual([1, 1]);
    expect(s.byStatus.done).toEqual([0, 0]);
    expect(s.unitCode).toBe('U2');
  });

  it('is null when nothing in scope happened by the as-of date', () => {
    expect(monthlySeries(histories, { ...scope, asOf: '2024-12-31' })).toBeNull();
  });

  it('cuts at every month end across a year and leap February', () => {
    expect(cutoffDates('2023-11-05', '2024-03-31')).toEqual(['2023-11-30', '2023-12-31', '2024-01-31', '2024-02-29', '2024-03-31']);
    expect(cutoffDates('2024-03-31', '2024-03-31')).toEqual(['2024-03-31']);
  });
});
