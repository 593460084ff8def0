/**
 * The dashboard's charts as ECharts option specs, built from `DashboardData` — the same `ChartSpec`
 * shape and helpers as the Word report's charts (`shared/report/charts.ts`), so the app (ECharts in
 * the browser) and the report (ECharts SSR → PNG in main) draw them alike. Each spec's `drill` says
 * which task-list filters a click on an element sets.
 *
 * Pure (type-only import of echarts).
 */
import type { EChartsOption } from 'echarts';
import { IMPLEMENTED_STATUSES, LIGHTS, LIGHT_COLORS } from '../rules';
import { pct } from '../report/model';
import { CHART_BASE, ZH_CHART_LABELS, stackedStatusBars, statusesShown, type ChartLabels, type ChartSpec } from '../report/charts';
import type { DashboardData } from './aggregate';

export { statusTrendChart, ZH_CHART_LABELS, type ChartLabels } from '../report/charts';

/** 表3·以南京市江北新区为龙头… — group names are long; the full name is in the tooltip. */
function shortGroupLabel(table: number, group: string, labels: ChartLabels): string {
  const chars = Array.from(group);
  return `${labels.table(table)}·${chars.length > 12 ? `${chars.slice(0, 11).join('')}…` : group}`;
}

/**
 * Shows every category label of a vertical bar chart: ECharts would skip some when they are wide (the
 * English "Table 2 / Implemented 4.8%"), and each table's label carries its own figure.
 */
function everyCategoryLabel(option: EChartsOption): EChartsOption {
  const x = option.xAxis as { axisLabel?: object };
  return { ...option, xAxis: { ...x, axisLabel: { ...x.axisLabel, interval: 0 } } as EChartsOption['xAxis'] };
}

function withTooltip(option: EChartsOption): EChartsOption {
  return { ...option, tooltip: { trigger: 'item', confine: true } };
}

/** Status by table, stacked bars (implementation share in the axis label). Click: table + status. */
export function dashboardStatusByTable(d: DashboardData, unitCode?: string, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  const statuses = statusesShown(d.byTable);
  const categories = d.byTable.map((r) => labels.tableWithShare(labels.table(r.table), pct(r.implementedShare)));
  return {
    id: 'dash-status-by-table',
    caption: labels.captions.statusByTable,
    width: 640,
    height: 340,
    option: withTooltip(everyCategoryLabel(stackedStatusBars(d.byTable, false, categories, labels))),
    drill: (s, i) => {
      const row = d.byTable[i];
      const status = statuses[s];
      return row && status ? { unitCode, table: row.table, statuses: [status] } : null;
    },
  };
}

/** Status by 类别 (group), horizontal stacked bars. Click: table + group + status. */
export function dashboardStatusByGroup(d: DashboardData, unitCode?: string, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  const statuses = statusesShown(d.byGroup);
  const option = stackedStatusBars(d.byGroup, true, d.byGroup.map((r) => shortGroupLabel(r.table, r.group, labels)), labels);
  return {
    id: 'dash-status-by-group',
    caption: labels.captions.statusByGroup,
    width: 640,
    height: 70 + d.byGroup.length * 26,
    option: {
      ...option,
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: unknown) => {
          const { dataIndex, seriesName, value } = p as { dataIndex: number; seriesName: string; value: number };
          const row = d.byGroup[dataIndex];
          return row ? labels.groupTooltip(row.table, row.group, seriesName, value) : '';
        },
      },
    },
    drill: (s, i) => {
      const row = d.byGroup[i];
      const status = statuses[s];
      return row && status ? { unitCode, table: row.table, group: row.group, statuses: [status] } : null;
    },
  };
}

/** Status by unit (全市), horizontal stacked bars. Click: that unit + status. */
export function dashboardStatusByUnit(d: DashboardData, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  const statuses = statusesShown(d.byUnit);
  return {
    id: 'dash-status-by-unit',
    caption: labels.captions.statusByUnit,
    width: 640,
    height: Math.max(260, 70 + d.byUnit.length * 28),
    option: withTooltip(stackedStatusBars(d.byUnit, true, d.byUnit.map((r) => r.label), labels)),
    drill: (s, i) => {
      const row = d.byUnit[i];
      const status = statuses[s];
      return row && status ? { unitCode: row.key, statuses: [status] } : null;
    },
  };
}

/** The frame of the dashboard's one-series bar charts (share per table, lights). */
const SINGLE_BAR_BASE = {
  ...CHART_BASE,
  tooltip: { trigger: 'item', confine: true },
  grid: { left: 12, right: 28, top: 28, bottom: 8, containLabel: true },
} as const;

/** 实施率 (已完成 + 基本完成 ÷ 应实施) per table, bars in percent. Click: table + 已完成/基本完成. */
export function dashboardImplementedShare(d: DashboardData, unitCode?: string, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  return {
    id: 'dash-implemented-share',
    caption: labels.captions.implementedShare,
    width: 640,
    height: 300,
    option: {
      ...SINGLE_BAR_BASE,
      xAxis: { type: 'category', data: d.byTable.map((r) => labels.table(r.table)), axisTick: { show: false }, axisLabel: { fontSize: 13, color: '#262626' } },
      yAxis: {
        type: 'value',
        max: 100,
        axisLabel: { fontSize: 12, color: '#595959', formatter: '{value}%' },
        splitLine: { lineStyle: { color: '#e8e8e8' } },
      },
      series: [
        {
          name: labels.implementedShare,
          type: 'bar',
          barMaxWidth: 48,
          itemStyle: { color: '#389e0d' },
          label: { show: true, position: 'top', fontSize: 12, color: '#262626', formatter: (p: { dataIndex: number }) => pct(d.byTable[p.dataIndex]?.implementedShare ?? null) },
          data: d.byTable.map((r) => (r.implementedShare === null ? 0 : Math.round(r.implementedShare * 1000) / 10)),
        },
      ],
    },
    drill: (_s, i) => {
      const row = d.byTable[i];
      return row ? { unitCode, table: row.table, statuses: [...IMPLEMENTED_STATUSES] } : null;
    },
  };
}

/** Red / yellow / green / unlit (未启动, no deadline) counts as four bars. Click: that light. */
export function dashboardLights(d: DashboardData, unitCode?: string, labels: ChartLabels = ZH_CHART_LABELS): ChartSpec {
  return {
    id: 'dash-lights',
    caption: labels.captions.lights,
    width: 400,
    height: 300,
    option: {
      ...SINGLE_BAR_BASE,
      xAxis: { type: 'category', data: LIGHTS.map((l) => labels.light[l]), axisTick: { show: false }, axisLabel: { fontSize: 13, color: '#262626' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 12, color: '#595959' }, splitLine: { lineStyle: { color: '#e8e8e8' } } },
      series: [
        {
          name: labels.taskCount,
          type: 'bar',
          barMaxWidth: 56,
          label: { show: true, position: 'top', fontSize: 12, color: '#262626' },
          data: LIGHTS.map((l) => ({ value: d.overall.lights[l], itemStyle: { color: LIGHT_COLORS[l] } })),
        },
      ],
    },
    drill: (_s, i) => {
      const light = LIGHTS[i];
      return light ? { unitCode, light } : null;
    },
  };
}
