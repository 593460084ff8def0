import type { TFunction } from 'i18next';
import { STATUSES } from '../../../../src-main/shared/domain';
import type { ChartLabels } from '../../../../src-main/shared/report/charts';

/**
 * The dashboard charts' words in the UI language (the Word reports keep `ZH_CHART_LABELS`: they are
 * official Chinese documents). In the Chinese UI these equal `ZH_CHART_LABELS`.
 */
export function chartLabels(t: TFunction): ChartLabels {
  const table = (n: number) => t('dashboardCharts.table', { n });
  return {
    status: Object.fromEntries(STATUSES.map((s) => [s, t(`status.${s}`)])) as ChartLabels['status'],
    light: { red: t('dashboardCharts.red'), yellow: t('dashboardCharts.yellow'), green: t('dashboardCharts.green'), none: t('dashboardCharts.none') },
    countAxis: t('dashboardCharts.countAxis'),
    table,
    tableWithShare: (tableName, share) => t('dashboardCharts.tableWithShare', { table: tableName, share }),
    implementedShare: t('dashboardCharts.implementedShare'),
    taskCount: t('dashboardCharts.taskCount'),
    groupTooltip: (n, group, series, value) => t('dashboardCharts.groupTooltip', { table: table(n), group, series, value }),
    captions: {
      statusByTable: t('dashboardCharts.statusByTable'),
      statusByGroup: t('dashboardCharts.statusByGroup'),
      statusByUnit: t('dashboardCharts.statusByUnit'),
      implementedShare: t('dashboardCharts.implementedShareCaption'),
      lights: t('dashboardCharts.lights'),
      trend: t('dashboardCharts.trend'),
    },
  };
}
