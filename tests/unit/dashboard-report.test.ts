/**
 * The progress-over-time chart in the Word reports: the report takes the monthly series as an
 * optional input (checked), draws it with the shared spec, and says in words what it shows.
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportInput } from '../../src-main/shared/report/model';
import { reportCharts } from '../../src-main/shared/report/charts';
import { historiesFromRevisions, reportMonthlySeries, type MonthlySeries } from '../../src-main/shared/dashboard/monthly';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { AS_OF, SIGN_DATE, UNITS, corpus, smallAnnotations, unzipText } from './report-fixtures';

const c = corpus();

// 玄武区 has 8 annotations of known tasks in the fixture; 104 tasks in all.
const SERIES: MonthlySeries = {
  unitCode: '320102',
  dates: ['2025-01-31', '2025-02-28', '2025-03-05'],
  labels: ['2025-01', '2025-02', '2025-03-05'],
  byStatus: {
    not_started: [100, 98, 97],
    on_track: [3, 3, 2],
    delayed: [0, 1, 1],
    mostly_done: [1, 1, 1],
    done: [0, 1, 2],
    not_applicable: [0, 0, 1],
  },
  total: 104,
};

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    kind: 'district',
    corpus: c,
    units: UNITS,
    annotations: smallAnnotations(),
    scope: { unitCodes: ['320102'], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '',
    issuer: '玄武区人民政府',
    signDate: SIGN_DATE,
    ...over,
  };
}

describe('progress over time in the report', () => {
  it('adds the chart after the table chart, with the series as given', () => {
    const m = buildReportModel(input({ monthly: SERIES }));
    if (!m.ok) throw new Error(m.error.message);
    const charts = reportCharts(m.value);
    expect(charts.map((x) => x.id)).toEqual(['status-by-table', 'status-over-time']);
    const trend = charts[1]!;
    // Months as an office writes them; the last point is the as-of day (not a month end).
    expect((trend.option.xAxis as { data: string[] }).data).toEqual(['2025年1月', '2025年2月', '2025年3月5日']);
    const series = (trend.option.series as { name: string; data: number[] }[]).map((s) => [s.name, s.data]);
    expect(series).toEqual([
      ['已完成', [0, 1, 2]],
      ['基本完成', [1, 1, 1]],
      ['序时推进', [3, 3, 2]],
      ['进度滞后', [0, 1, 1]],
      ['未启动', [100, 98, 97]],
      ['不涉及', [0, 0, 1]],
    ]);
  });

  it('without a series the report has no such chart', () => {
    const m = buildReportModel(input());
    if (!m.ok) throw new Error(m.error.message);
    expect(reportCharts(m.value).map((x) => x.id)).toEqual(['status-by-table']);
  });

  it('refuses a series whose numbers do not match its dates, with a Chinese message', () => {
    const bad = { ...SERIES, byStatus: { ...SERIES.byStatus, done: [0, 1] } };
    const m = buildReportModel(input({ monthly: bad }));
    expect(m.ok).toBe(false);
    if (!m.ok) {
      expect(m.error.code).toBe('report.bad_series');
      expect(m.error.message).toMatch(/月度推进数据不完整/);
    }
  });

  it('prints the sentence and the picture in the Word document', async () => {
    const m = buildReportModel(input({ monthly: SERIES }));
    if (!m.ok) throw new Error(m.error.message);
    const parts = unzipText(await renderReportDocx(m.value, { charts: true }));
    const xml = parts['word/document.xml']!;
    // 已实施 = 已完成 + 基本完成: 0 + 1 = 1 → 2 + 1 = 3; 未启动 100 → 97; 进度滞后 0 → 1.
    expect(xml).toContain('从2025年1月31日至2025年3月5日，已实施任务由1项增至3项，未启动任务由100项降至97项，进度滞后任务由0项增至1项（按各月末最新填报统计');
    expect(xml).toContain('图2  试点任务完成状态月度变化'.replace('试点', '玄武区试点'));
    expect(xml).toMatch(/name="status-over-time"/);
  });
});

/** A revision as historiesFromRevisions reads it. */
const rev = (id: string, taskId: string, unitCode: string, at: string, status: 'done' | 'on_track') => ({
  id,
  key: `${taskId}|${unitCode}`,
  taskId,
  unitCode,
  at,
  fields: { status },
});

describe('the series a report gets from its bundles', () => {
  it('counts the report\'s units and tables, each revision once', () => {
    // The same revision twice (two bundles) counts once; 秦淮区 is outside a 玄武区 report.
    const histories = historiesFromRevisions([
      rev('a', 'T1-01', '320102', '2025-01-10T00:00:00.000Z', 'on_track'),
      rev('a', 'T1-01', '320102', '2025-01-10T00:00:00.000Z', 'on_track'),
      rev('b', 'T1-01', '320102', '2025-02-10T00:00:00.000Z', 'done'),
      rev('c', 'T2-01', '320102', '2025-02-11T00:00:00.000Z', 'on_track'),
      rev('d', 'T1-01', '320104', '2024-05-01T00:00:00.000Z', 'done'),
    ]);
    expect(histories.find((h) => h.unitCode === '320102' && h.taskId === 'T1-01')!.points).toHaveLength(2);
    const s = reportMonthlySeries(histories, {
      asOf: '2025-02-28',
      scope: { unitCodes: ['320102'], tables: [1] },
      units: UNITS,
      annotations: [],
      tasks: c.tasks,
    })!;
    const table1 = c.tasks.filter((t) => t.table === 1).length;
    expect(s.dates).toEqual(['2025-01-31', '2025-02-28']);
    expect(s.total).toBe(table1);
    expect(s.byStatus.on_track).toEqual([1, 0]);
    expect(s.byStatus.done).toEqual([0, 1]);
    expect(s.byStatus.not_started).toEqual([table1 - 1, table1 - 1]);
    expect(s.unitCode).toBe('320102');
  });
});

describe('progress over time in a city report', () => {
  it("counts the plan's tasks by their city-level status, and says so in words and in the caption", async () => {
    // T1-01: 玄武区 on_track in January, done in February; 秦淮区 done in February → the city's T1-01
    // is 序时推进 at the end of January and 已完成 at the end of February (the others 未启动).
    const histories = historiesFromRevisions([
      rev('a', 'T1-01', '320102', '2025-01-10T00:00:00.000Z', 'on_track'),
      rev('b', 'T1-01', '320102', '2025-02-10T00:00:00.000Z', 'done'),
      rev('c', 'T1-01', '320104', '2025-02-12T00:00:00.000Z', 'done'),
    ]);
    const two = UNITS.filter((u) => u.code === '320102' || u.code === '320104');
    const s = reportMonthlySeries(histories, {
      asOf: '2025-02-28',
      scope: { unitCodes: ['320102', '320104'], tables: [] },
      units: two,
      annotations: [],
      tasks: c.tasks,
      city: true,
    })!;
    expect(s.total).toBe(104);
    expect(s.byStatus.on_track).toEqual([1, 0]);
    expect(s.byStatus.done).toEqual([0, 1]);
    expect(s.byStatus.not_started).toEqual([103, 103]);
    // As pairs the same histories would count 2 × 104.
    expect(reportMonthlySeries(histories, { asOf: '2025-02-28', scope: { unitCodes: ['320102', '320104'], tables: [] }, units: two, annotations: [], tasks: c.tasks })!.total).toBe(208);

    const m = buildReportModel(input({ kind: 'city', issuer: '南京市商务局', scope: { unitCodes: [], tables: [], statuses: [] }, monthly: s }));
    if (!m.ok) throw new Error(m.error.message);
    const xml = unzipText(await renderReportDocx(m.value, { charts: true }))['word/document.xml']!;
    expect(xml).toContain('全市104项试点任务中已实施任务由0项增至1项');
    expect(xml).toContain('每项任务的全市状态按说明所列规则确定');
    expect(xml).not.toContain('（按任务×单位计）中已实施');
    expect(xml).not.toMatch(/月度变化（按任务×单位计）/);
  });
});
