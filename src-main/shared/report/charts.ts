/**
 * Chart specifications of the reports as ECharts option objects, built from the report model only.
 * Pure (type-only import of echarts), so the same specs serve the Word reports (rendered to SVG in
 * main with ECharts' server-side renderer, then rasterised) and, later, the app's dashboard.
 */
import type { EChartsOption } from 'echarts';
import { STATUS_COLORS, STATUS_LABELS, type Status } from '../domain';
import type { Light } from '../rules';
import { LIGHT_LABELS, REPORT_STATUS_ORDER, pct, tableLabel, type FiguresRow, type ReportModel } from './model';
import type { DrillTarget } from '../dashboard/aggregate';
import type { MonthlySeries } from '../dashboard/monthly';

export interface ChartSpec {
  /** Stable id: status-by-table, status-by-unit. */
  id: string;
  /** Caption printed under the chart (图1 …). */
  caption: string;
  /** Natural size in CSS pixels; renderers may scale. */
  width: number;
  height: number;
  option: EChartsOption;
  /**
   * What a click on an element points at (the dashboard's click-through; the Word report ignores it):
   * series index and data index → the task-list filters, or null when the element leads nowhere.
   */
  drill?: (seriesIndex: number, dataIndex: number) => DrillTarget | null;
}

/**
 * Every word a chart draws (legend, axis names, category and series names, captions). The Word
 * reports are official Chinese documents and always use `ZH_CHART_LABELS`; the dashboard passes the
 * labels of the UI language (built from the i18n catalogue), so an English UI gets English charts.
 */
export interface ChartLabels {
  /** Legend and series names of the status charts. */
  status: Record<Status, string>;
  /** Category names of the traffic-light chart. */
  light: Record<Light, string>;
  /** Name of the count axis: 任务数（项）. */
  countAxis: string;
  /** Category label of a table: 表1. */
  table: (n: number) => string;
  /** Category label of a table with its implementation share below it: 表1\n实施率50.0%. */
  tableWithShare: (table: string, share: string) => string;
  /** Series name of the implementation-share bars: 实施率. */
  implementedShare: string;
  /** Series name of the traffic-light bars: 任务数. */
  taskCount: string;
  /** Tooltip line of a 类别 bar segment: 表1·group<br/>series：3项. */
  groupTooltip: (table: number, group: string, series: string, value: number) => string;
  /**
   * Axis label of a point of the progress-over-time chart: 2023年2月 for a month end, the full date
   * for a last point that is not one. Absent: the series' own labels.
   */
  monthPoint?: (isoDate: string, monthEnd: boolean) => string;
  /** Captions (also the charts' accessible names). */
  captions: {
    statusByTable: string;
    statusByGroup: string;
    statusByUnit: string;
    implementedShare: string;
    lights: string;
    trend: string;
  };
}

/** The Chinese chart labels: the Word reports' (always) and the dashboard's in the Chinese UI. */
export const ZH_CHART_LABELS: ChartLabels = {
  status: STATUS_LABELS,
  light: LIGHT_LABELS,
  countAxis: '任务数（项）',
  table: tableLabel,
  tableWithShare: (table, share) => `${table}\n实施率${share}`,
  implementedShare: '实施率',
  taskCount: '任务数',
  groupTooltip: (table, group, series, value) => `${tableLabel(table)}·${group}<br/>${series}：${value}项`,
  monthPoint: (d, monthEnd) => (monthEnd ? `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月` : `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`),
  captions: {
    statusByTable: '各表任务完成状态分布',
    statusByGroup: '各类别任务完成状态分布',
    statusByUnit: '各单位任务完成状态分布',
    implementedShare: '各表任务实施率（已完成＋基本完成）',
    lights: '完成时限预警（红黄绿灯）',
    trend: '试点任务完成状态月度变化',
  },
};

/**
 * Font stack for chart text; the rasteriser in main maps it onto a CJK font it finds. Single quotes:
 * ECharts writes it into an SVG `style="…"` attribute unescaped, and double quotes there made the
 * SVG invalid (resvg refused it) whenever no CJK font file was found to name instead.
 */
export const CHART_FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimHei', sans-serif";

/**
 * What every chart of the app and the reports starts with: no animation (the Word pictures are
 * rendered once), a white background (PNG), the CJK font stack.
 */
export const CHART_BASE = { animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: CHART_FONT } } as const;

/** The statuses a stacked status chart of these rows shows (one series each, in this order). */
export function statusesShown(rows: readonly Pick<FiguresRow, 'byStatus'>[]): Status[] {
  return REPORT_STATUS_ORDER.filter((s) => rows.some((r) => r.byStatus[s] > 0));
}

/** Stacked bars of statuses, one bar per row; series = `statusesShown(rows)`. */
export function stackedStatusBars(rows: FiguresRow[], horizontal: boolean, categoryLabels: string[], labels: ChartLabels = ZH_CHART_LABELS): EChartsOption {
  const statuses = statusesShown(rows);
  // Segments smaller than 4% of the longest bar carry no number (it would not fit).
  const minLabel = Math.max(1, 0.04 * Math.max(0, ...rows.map((r) => r.total)));
  const categoryAxis = {
    type: 'category' as const,
    data: categoryLabels,
    inverse: horizontal,
    axisTick: { show: false },
    axisLabel: { fontSize: 13, color: '#262626' },
  };
  // The axis ends at the longest bar (104 tasks: 104, not the next round 120).
  const longest = Math.max(1, ...rows.map((r) => r.total));
  const valueAxis = {
    type: 'value' as const,
    minInterval: 1,
    max: longest,
    // A name at the end of a horizontal value axis would be cut off at the chart's edge.
    name: horizontal ? '' : labels.countAxis,
    nameTextStyle: { fontSize: 12, color: '#595959' },
    axisLabel: { fontSize: 12, color: '#595959' },
    splitLine: { lineStyle: { color: '#e8e8e8' } },
  };
  return {
    ...CHART_BASE,
    color: statuses.map((s) => STATUS_COLORS[s]),
    legend: { top: 4, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 13, color: '#262626' } },
    grid: { left: 12, right: 28, top: 44, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: statuses.map((s: Status) => ({
      name: labels.status[s],
      type: 'bar' as const,
      stack: 'status',
      barMaxWidth: 56,
      label: {
        show: true,
        fontSize: 11,
        color: '#ffffff',
        formatter: (p: { value?: unknown }) => (typeof p.value === 'number' && p.value >= minLabel ? String(p.value) : ''),
      },
      data: rows.map((r) => r.byStatus[s]),
    })),
  };
}

/** Status by table (表1 … 表5), stacked bars, with the implementation share in the axis label. */
export function statusByTableChart(m: ReportModel): ChartSpec {
  const rows = m.byTable;
  return {
    id: 'status-by-table',
    caption: ZH_CHART_LABELS.captions.statusByTable,
    width: 760,
    height: 400,
    option: stackedStatusBars(
      rows,
      false,
      rows.map((r) => ZH_CHART_LABELS.tableWithShare(r.key, pct(r.implementedShare))),
    ),
  };
}

/** Status by unit (city reports), horizontal stacked bars in unit order. */
export function statusByUnitChart(m: ReportModel): ChartSpec {
  const rows = m.byUnit;
  return {
    id: 'status-by-unit',
    caption: ZH_CHART_LABELS.captions.statusByUnit,
    width: 760,
    height: Math.max(260, 70 + rows.length * 30),
    option: stackedStatusBars(rows, true, rows.map((r) => r.label)),
  };
}

/**
 * Progress over time: tasks per status at each month end, stacked areas (the sum is every task ×
 * unit in scope), 已完成 at the bottom. Not clickable: its points are past states.
 */
export function statusTrendChart(series: MonthlySeries, caption?: string, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  const statuses = REPORT_STATUS_ORDER.filter((s) => series.byStatus[s].some((n) => n > 0));
  return {
    id: 'status-over-time',
    caption: caption ?? labels.captions.trend,
    width: 760,
    height: 380,
    option: {
      ...CHART_BASE,
      color: statuses.map((s) => STATUS_COLORS[s]),
      legend: { top: 4, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 13, color: '#262626' } },
      tooltip: { trigger: 'axis' },
      grid: { left: 12, right: 28, top: 44, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: labels.monthPoint ? series.dates.map((d, i) => labels.monthPoint!(d, i < series.dates.length - 1 || series.labels[i] !== d)) : series.labels,
        axisLabel: { fontSize: 12, color: '#262626' },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        max: series.total,
        name: labels.countAxis,
        nameTextStyle: { fontSize: 12, color: '#595959' },
        // The top is the total (tasks × units), an odd number that would crowd the last round one.
        axisLabel: { fontSize: 12, color: '#595959', showMaxLabel: false },
        splitLine: { lineStyle: { color: '#e8e8e8' } },
      },
      series: statuses.map((s) => ({
        name: labels.status[s],
        type: 'line' as const,
        stack: 'status',
        symbol: 'none',
        lineStyle: { width: 1 },
        areaStyle: { opacity: 0.85 },
        data: series.byStatus[s],
      })),
    },
  };
}

/** The charts a report of this model can show, by id. */
function availableCharts(m: ReportModel): Map<string, () => ChartSpec> {
  const out = new Map<string, () => ChartSpec>();
  if (m.meta.kind === 'ledger') return out;
  out.set('status-by-table', () => statusByTableChart(m));
  if (m.byUnit.length > 1) out.set('status-by-unit', () => statusByUnitChart(m));
  if (m.monthly && m.monthly.dates.length > 1) {
    const pairs = m.meta.units.length > 1 && m.meta.kind !== 'city';
    out.set('status-over-time', () => statusTrendChart(m.monthly!, `${m.meta.scopeName}试点任务完成状态月度变化${pairs ? '（按任务×单位计）' : ''}`));
  }
  return out;
}

/** The charts the report's body places (`chart.…` blocks of `m.sections`), in the order they first appear. */
export function reportCharts(m: ReportModel): ChartSpec[] {
  const available = availableCharts(m);
  const ids: string[] = [];
  const walk = (nodes: readonly { type: string; attrs?: Record<string, unknown>; content?: unknown[] }[] | undefined) => {
    for (const n of nodes ?? []) {
      const block = n.type === 'reportBlock' ? String(n.attrs?.block ?? '') : '';
      if (block.startsWith('chart.') && available.has(block.slice(6)) && !ids.includes(block.slice(6))) ids.push(block.slice(6));
      walk(n.content as typeof nodes);
    }
  };
  for (const s of m.sections ?? []) walk(s.doc.content);
  return ids.map((id) => available.get(id)!());
}
