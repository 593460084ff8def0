/**
 * 推进态势 in 一、总体推进情况: one sentence and the progress-over-time chart (tasks per status at each
 * month end), when the report's input carried the monthly series. Every number comes from
 * `m.monthly`; the chart is the shared `statusTrendChart` spec, rendered like the other charts.
 */
import type { Paragraph } from 'docx';
import type { ReportModel } from '../../shared/report/model';
import { IMPLEMENTED_STATUSES } from '../../shared/rules';
import { cnDate } from '../../shared/time';
import type { ChartImage } from './charts';
import { body, chartParagraphs, h2 } from './docxBlocks';

/** 从2023年2月28日至2025年6月30日，已实施任务由3项增至41项，未启动任务由1349项降至12项。 */
export function progressSentence(m: ReportModel, figure: number): string | null {
  const s = m.monthly;
  if (!s || s.dates.length < 2) return null;
  const last = s.dates.length - 1;
  const implemented = (k: number) => IMPLEMENTED_STATUSES.reduce((n, status) => n + s.byStatus[status][k]!, 0);
  const change = (a: number, b: number) => (b > a ? `由${a}项增至${b}项` : b < a ? `由${a}项降至${b}项` : `保持${a}项`);
  return (
    `从${cnDate(s.dates[0])}至${cnDate(s.dates[last])}，已实施（已完成和基本完成）任务${change(implemented(0), implemented(last))}，` +
    `未启动任务${change(s.byStatus.not_started[0]!, s.byStatus.not_started[last]!)}，进度滞后任务${change(s.byStatus.delayed[0]!, s.byStatus.delayed[last]!)}` +
    `（各月末情况见图${figure}，按各月末最新修订统计，未填报的任务按未启动计）。`
  );
}

/** The paragraphs, or none when there is no series or its chart was not rendered. */
export function progressParagraphs(m: ReportModel, charts: ChartImage[]): Paragraph[] {
  const i = charts.findIndex((c) => c.id === 'status-over-time');
  const sentence = progressSentence(m, i + 1);
  if (i < 0 || !sentence) return [];
  return [...(m.meta.kind === 'city' ? [h2('（三）推进态势')] : []), body(sentence), ...chartParagraphs(charts[i]!, i + 1)];
}
