/**
 * 「本期变化情况」 for the district and city reports: the comparison of a chosen snapshot with the
 * report's own data (its scope, as of its date), as sentences and rows. Pure; every number comes
 * from `compareSnapshots`.
 */
import { STATUS_LABELS, type Annotation, type Evidence, type LogEntry } from '../domain';
import { isImplemented } from '../rules';
import { compareSnapshots, type SnapshotChanges } from './compare';
import { freezeEntries, type SnapshotEntry } from './model';

/** The snapshot a report compares with (ReportInput.changesSince). */
export interface ChangesBaseline {
  /** Name of the snapshot's period, e.g. 2024年度. */
  periodName: string;
  frozenAt: string;
  entries: SnapshotEntry[];
}

export interface ReportChangeRow {
  taskId: string;
  shortTitle: string;
  unitName: string;
  /** Status moves: 原状态 and 现状态; new evidence: the titles; new cases: the kinds. */
  from?: string;
  to?: string;
  detail?: string;
}

export interface ReportChanges {
  /** 「2024年度」快照（2024年12月31日冻结） */
  baselineText: string;
  summary: string;
  statusMoves: ReportChangeRow[];
  newEvidence: ReportChangeRow[];
  newCases: ReportChangeRow[];
  newlyAnnotated: ReportChangeRow[];
  counts: { moves: number; nowImplemented: number; nowDelayed: number; evidence: number; innovation: number; bestPractice: number; annotated: number };
}

export interface ReportChangesContext {
  /** Is (task, unit) in the report's scope; `at` (a timestamp) on or before its as-of date? */
  inScope: (taskId: string, unitCode: string, at?: string) => boolean;
  shortTitle: (taskId: string) => string;
  unitName: (unitCode: string) => string;
  /** 2025年3月5日 */
  asOfText: string;
  /** A date or a timestamp (its Beijing date) as 2025年3月5日. */
  cnDate: (iso: string) => string;
}

/** The comparison of `baseline` with the report's annotations (already selected by scope and as-of). */
export function buildReportChanges(
  baseline: ChangesBaseline,
  current: { annotations: readonly Annotation[]; evidence: readonly Evidence[]; logEntries: readonly LogEntry[] },
  ctx: ReportChangesContext,
): ReportChanges {
  const live = {
    annotations: current.annotations,
    evidence: current.evidence.filter((e) => ctx.inScope(e.taskId, e.unitCode, e.createdAt)),
    logEntries: current.logEntries.filter((e) => ctx.inScope(e.taskId, e.unitCode, e.createdAt)),
  };
  const newer = { entries: freezeEntries(live).filter((e) => ctx.inScope(e.taskId, e.unitCode)) };
  const c: SnapshotChanges = compareSnapshots(baseline, newer);
  const ref = (r: { taskId: string; unitCode: string }) => ({ taskId: r.taskId, shortTitle: ctx.shortTitle(r.taskId), unitName: ctx.unitName(r.unitCode) });
  const counts = {
    moves: c.statusMoves.length,
    nowImplemented: c.statusMoves.filter((m) => isImplemented(m.to) && !isImplemented(m.from)).length,
    nowDelayed: c.statusMoves.filter((m) => m.to === 'delayed').length,
    evidence: c.newEvidence.reduce((n, e) => n + e.evidence.length, 0),
    innovation: c.newCases.filter((x) => x.flags.includes('isInnovation')).length,
    bestPractice: c.newCases.filter((x) => x.flags.includes('isBestPractice')).length,
    annotated: c.newlyAnnotated.length,
  };
  const baselineText = `「${baseline.periodName}」快照（${ctx.cnDate(baseline.frozenAt)}冻结）`;
  const summary =
    `与${baselineText}相比，截至${ctx.asOfText}，共有${counts.moves}项任务的完成状态发生变化，其中新实施（转为已完成或基本完成）${counts.nowImplemented}项、转为进度滞后${counts.nowDelayed}项；` +
    `新增佐证材料${counts.evidence}份（涉及${c.newEvidence.length}项任务）；新认定制度创新成果${counts.innovation}项、最佳实践案例${counts.bestPractice}项；新增填报任务${counts.annotated}项。`;
  return {
    baselineText,
    summary,
    counts,
    statusMoves: c.statusMoves.map((m) => ({ ...ref(m), from: STATUS_LABELS[m.from], to: STATUS_LABELS[m.to] })),
    newEvidence: c.newEvidence.map((e) => ({ ...ref(e), detail: e.evidence.map((x) => `《${x.title}》`).join('、') })),
    newCases: c.newCases.map((x) => ({ ...ref(x), detail: x.flags.map((f) => (f === 'isInnovation' ? '制度创新成果' : '最佳实践案例')).join('、') })),
    newlyAnnotated: c.newlyAnnotated.map((n) => ({ ...ref(n), to: STATUS_LABELS[n.status] })),
  };
}
