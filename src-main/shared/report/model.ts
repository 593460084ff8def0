/**
 * The report model: every figure and every piece of text that a report (Word or Excel) prints,
 * computed here — purely, from the data it names — and nowhere else. Renderers only lay it out.
 *
 * Which annotations count:
 *  - those in scope: unit ∈ scope.unitCodes, table ∈ scope.tables, status ∈ scope.statuses (an
 *    empty list means "all");
 *  - as of `asOf`: an annotation counts in the state it is stored in, if it was last updated on or
 *    before the as-of date, end of day, China Standard Time (UTC+8, Nanjing's time, no DST).
 *    Annotations updated later are left out (not rolled back to an earlier revision) and their
 *    number is printed in the 说明 line; reconstructing past states from revisions is not done here;
 *  - of a task that the corpus knows (others are counted in `meta.unknownTasks` and left out);
 *  - one per task × unit: if the input holds the same key twice (several bundles), the newer
 *    `updatedAt` wins.
 * Shares: a status share is count ÷ all annotations in scope; the implementation share (实施率) is
 * (已完成 + 基本完成) ÷ annotations that are not 不涉及. Traffic lights and 已超期 are the rules of
 * `rules.ts` (`trafficLight(…, asOf)`, `daysOverdue`).
 *
 * An empty scope (no annotation matches) is an error with a Chinese message, not an empty report.
 * Pure: no node, electron or DOM imports. All strings of the model are XML-safe (`deepXmlSafe`).
 */
import {
  EVIDENCE_KIND_LABELS,
  STATUSES,
  STATUS_LABELS,
  caseStudyOf,
  isIsoDate,
  type Annotation,
  type CaseStudy,
  type Evidence,
  type LogEntry,
  type Status,
  type Unit,
} from '../domain';
import { daysOverdue, isImplemented, trafficLight, type Light } from '../rules';
import { cnDate, onOrBefore } from '../time';
import { isEmptyDoc, plainText, type RichDoc } from '../richtext';
import type { Corpus, Task } from '../corpus/types';
import { fail, ok, type Result } from '../result';
import { deepXmlSafe, xmlSafe } from './sanitize';
import type { MonthlySeries } from '../dashboard/monthly';
import { buildReportChanges, type ChangesBaseline, type ReportChanges } from '../snapshot/report';
import type { FieldName } from '../records';
import { EMPTY_FORM, type DraftSection, type GongwenForm } from './draft';

// ---------------------------------------------------------------------------------------------
// Input

export type ReportKind = 'district' | 'city' | 'ledger';
export const REPORT_KINDS: readonly ReportKind[] = ['district', 'city', 'ledger'];

export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  district: '区级推进情况报告',
  city: '全市汇总暨三年评估报告',
  ledger: '任务清单推进情况表',
};

export interface ReportScope {
  /** Unit codes; empty = every unit. */
  unitCodes: string[];
  /** Table numbers 1–5; empty = every table. */
  tables: number[];
  /** Statuses; empty = every status. */
  statuses: Status[];
}

export interface ReportInput {
  kind: ReportKind;
  corpus: Corpus;
  units: Unit[];
  annotations: Annotation[];
  logEntries?: LogEntry[];
  evidence?: Evidence[];
  scope: ReportScope;
  /** ISO date: data as of the end of this day (UTC+8). */
  asOf: string;
  /** Blank → `defaultTitle(kind, …)`. */
  title: string;
  /** 发文机关署名, e.g. 南京市玄武区人民政府 / 南京市商务局 (default: `issuerOf` of rules.ts) */
  issuer: string;
  /** 成文日期, ISO date. */
  signDate: string;
  appVersion?: string;
  /**
   * Tasks per status at each month end (`monthlySeries` of shared/dashboard, computed by the caller
   * from the revisions, for the same units and tables as `scope`); drawn as a chart in 一、总体推进情况.
   */
  monthly?: MonthlySeries;
  /** 「本期变化情况」: compare the report's data with this snapshot (absent = no such section). */
  changesSince?: ChangesBaseline;
  /** The 公文 elements around the body (主送机关, 版头, 落款, 附注, 版记); absent = `EMPTY_FORM`. */
  form?: GongwenForm;
  /** The body as the author wrote it (a saved draft); absent = the generated draft. */
  draft?: { sections: DraftSection[] };
}

// ---------------------------------------------------------------------------------------------
// Model

/** The order in which reports list statuses: from done to not started, 不涉及 last. */
export const REPORT_STATUS_ORDER: readonly Status[] = ['done', 'mostly_done', 'on_track', 'delayed', 'not_started', 'not_applicable'];

/** `none`: 未启动 and no deadline yet — not lit, so never counted as 绿灯. */
export const LIGHT_LABELS: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯', none: '未亮灯' };

export interface Figures {
  /** Annotations counted. */
  total: number;
  byStatus: Record<Status, number>;
  /** byStatus ÷ total (0 when total is 0). */
  shares: Record<Status, number>;
  /** 已完成 + 基本完成 */
  implemented: number;
  /** total − 不涉及 */
  applicable: number;
  /** implemented ÷ applicable; null when nothing is applicable. */
  implementedShare: number | null;
  lights: Record<Light, number>;
}

export interface FiguresRow extends Figures {
  key: string;
  label: string;
}

export interface UnitRef {
  code: string;
  name: string;
}

export interface TableRef {
  number: number;
  title: string;
}

export interface TaskRef {
  taskId: string;
  table: number;
  group: string;
  domain: string | null;
  /** A short title derived from the task text (its first clause, at most 20 characters). */
  shortTitle: string;
  taskText: string;
}

export interface PracticeEntry {
  unit: UnitRef;
  status: Status;
  statusLabel: string;
  notes: RichDoc;
  results: string;
}

export interface PracticeItem extends TaskRef {
  entries: PracticeEntry[];
}

export interface PracticeSection extends TableRef {
  figures: Figures;
  groups: { group: string; items: PracticeItem[] }[];
  /** Annotations of this table in scope with neither 推进情况 nor 量化成效 (不涉及 excluded). */
  withoutNotes: number;
}

export interface CaseItem extends TaskRef {
  /** 1-based number of the write-up (案例一 …). */
  index: number;
  unit: UnitRef;
  innovation: boolean;
  bestPractice: boolean;
  status: Status;
  statusLabel: string;
  notes: RichDoc;
  results: string;
  evidence: { title: string; kindLabel: string; docNumber: string; dateText: string }[];
  logs: { date: string; dateText: string; body: RichDoc }[];
  /** The 典型案例 write-up, when one was written (null: the report falls back to notes and results). */
  caseStudy?: CaseStudy | null;
}

export interface LaggingItem extends TaskRef {
  unit: UnitRef;
  status: Status;
  statusLabel: string;
  deadline: string | null;
  deadlineText: string;
  /** Days past the deadline at the as-of date; null when not overdue. */
  daysOverdue: number | null;
  delayed: boolean;
}

export interface TextItem extends TaskRef {
  unit: UnitRef;
  text: string;
}

export const LEDGER_COLUMNS = [
  { key: 'index', label: '序号' },
  { key: 'taskId', label: '任务编号' },
  { key: 'category', label: '类别/领域' },
  { key: 'taskText', label: '试点任务' },
  { key: 'leadUnits', label: '牵头单位' },
  { key: 'partnerUnits', label: '配合单位' },
  { key: 'unitName', label: '责任区/功能区' },
  { key: 'deadline', label: '完成时限' },
  { key: 'progress', label: '推进情况' },
  { key: 'results', label: '量化成效' },
  { key: 'problems', label: '存在问题' },
  { key: 'nextSteps', label: '下步计划' },
  { key: 'status', label: '完成状态' },
  { key: 'remarks', label: '备注' },
] as const;
export type LedgerKey = (typeof LEDGER_COLUMNS)[number]['key'];
export type LedgerRow = Record<LedgerKey, string> & { statusCode: Status; light: Light };

/**
 * Where each annotation field is reported: its ledger column (the flags and the percentage go into
 * 备注), or the case appendix. Typed by `FieldName`, so a field added to the schema does not compile
 * until it is placed here and in the ledger or case code that prints it.
 */
export const FIELD_IN_REPORT = {
  status: 'status',
  progress: 'remarks',
  leadUnits: 'leadUnits',
  partnerUnits: 'partnerUnits',
  deadline: 'deadline',
  progressNotes: 'progress',
  results: 'results',
  problems: 'problems',
  nextSteps: 'nextSteps',
  isInnovation: 'remarks',
  isBestPractice: 'remarks',
  caseStudy: 'cases',
} as const satisfies Record<FieldName, LedgerKey | 'cases'>;

export interface StatusMatrix {
  units: UnitRef[];
  /** Every task of the tables in scope; a cell is null when the unit has no annotation in scope. */
  rows: { task: TaskRef; cells: (Status | null)[] }[];
}

export interface ReportMeta {
  kind: ReportKind;
  kindLabel: string;
  title: string;
  issuer: string;
  signDate: string;
  signDateText: string;
  asOf: string;
  asOfText: string;
  corpusHash: string;
  planTitle: string;
  appVersion: string | null;
  units: UnitRef[];
  /** How the units are named in sentences: 玄武区 / 全市 / 玄武区、秦淮区 */
  scopeName: string;
  tables: TableRef[];
  statuses: Status[];
  /** The scope in words: units; tables; statuses. */
  scopeText: string;
  /** Annotations in scope but updated after the as-of date (left out). */
  excludedAfterAsOf: number;
  /** Annotations whose task the corpus does not know (left out). */
  unknownTasks: number;
  /** Task × unit pairs in scope without any annotation; null when a status filter is set. */
  unreported: number | null;
  /** The 说明 line printed at the end of every document: scope, as-of date, corpus hash. */
  provenance: string;
  form: GongwenForm;
}

export interface ReportModel {
  meta: ReportMeta;
  overall: Figures;
  byTable: FiguresRow[];
  byGroup: (FiguresRow & { table: number })[];
  byUnit: FiguresRow[];
  /** Sentences of 一、总体推进情况, every figure from the fields above. */
  summary: string[];
  practices: PracticeSection[];
  cases: CaseItem[];
  innovationCount: number;
  bestPracticeCount: number;
  lagging: LaggingItem[];
  delayedCount: number;
  overdueCount: number;
  problems: TextItem[];
  nextSteps: TextItem[];
  ledger: LedgerRow[];
  /** City reports only. */
  matrix: StatusMatrix | null;
  /** Tasks per status at each month end, when the input carried it. */
  monthly?: MonthlySeries;
  /** 「本期变化情况」, when the input names a snapshot to compare with. */
  changes?: ReportChanges;
}

// ---------------------------------------------------------------------------------------------
// Helpers (exported for renderers and tests)

/** An annotation's write-up with each part trimmed; null when there is none. */
export function trimmedCaseStudy(a: Annotation): CaseStudy | null {
  const c = caseStudyOf(a);
  if (!c) return null;
  return { name: c.name.trim(), field: c.field.trim(), approach: c.approach.trim(), results: c.results.trim(), replicability: c.replicability.trim() };
}

/** A share as printed: 62.5% (one decimal); — when there is no denominator. */
export function pct(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

/** n ÷ d as a share, null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

/** 表1 … 表5 */
export function tableLabel(n: number): string {
  return `表${n}`;
}

/**
 * The first clause of a task's text, at most 20 characters. A longer clause is cut at its last
 * 、 or “ between the 10th and 20th character (else at 19) and ends with …, never with punctuation.
 */
export function shortTitle(text: string): string {
  const first = text.split(/[，,；;。：:]/)[0]?.trim() || text.trim();
  const chars = Array.from(first);
  if (chars.length <= 20) return first;
  let cut = 19;
  for (let i = 19; i >= 10; i--) {
    if (chars[i] === '、' || chars[i] === '“' || chars[i] === '（') {
      cut = i;
      break;
    }
  }
  return `${chars.slice(0, cut).join('').replace(/[、“（”）]+$/, '')}…`;
}

export function defaultTitle(kind: ReportKind, unitNames: string[]): string {
  const who = unitNames.length === 1 ? unitNames[0] : '南京市';
  if (kind === 'ledger') return `${who}服务业扩大开放综合试点任务清单推进情况表`;
  if (kind === 'city') return '南京市服务业扩大开放综合试点推进情况暨三年评估报告';
  return `${who}服务业扩大开放综合试点推进情况报告`;
}

function zeroTally(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** The figures of a set of annotations. */
export function figuresOf(list: readonly Pick<Annotation, 'status' | 'deadline'>[], asOf: string): Figures {
  const byStatus = zeroTally();
  const lights: Record<Light, number> = { red: 0, yellow: 0, green: 0, none: 0 };
  for (const a of list) {
    byStatus[a.status] += 1;
    lights[trafficLight(a, asOf)] += 1;
  }
  const total = list.length;
  const implemented = STATUSES.filter(isImplemented).reduce((n, s) => n + byStatus[s], 0);
  const applicable = total - byStatus.not_applicable;
  const shares = Object.fromEntries(STATUSES.map((s) => [s, total ? byStatus[s] / total : 0])) as Record<Status, number>;
  return { total, byStatus, shares, implemented, applicable, implementedShare: ratio(implemented, applicable), lights };
}

/** Does the series have one number per date for every status, and dates in order? */
function wellFormedSeries(m: MonthlySeries): boolean {
  const n = m.dates.length;
  return (
    n > 0 &&
    m.labels.length === n &&
    m.dates.every((d, i) => isIsoDate(d) && (i === 0 || m.dates[i - 1]! < d)) &&
    STATUSES.every((s) => Array.isArray(m.byStatus?.[s]) && m.byStatus[s].length === n && m.byStatus[s].every((v) => Number.isInteger(v) && v >= 0))
  );
}

// ---------------------------------------------------------------------------------------------
// Builder

export const EMPTY_SCOPE_MESSAGE = '所选范围内没有批注数据，无法生成报告。请调整单位、表格或状态范围。';

interface Row {
  a: Annotation;
  task: Task;
  unit: UnitRef;
  unitOrder: number;
}

export function buildReportModel(input: ReportInput): Result<ReportModel> {
  const { corpus, scope, asOf } = input;
  if (!(['district', 'city', 'ledger'] as const).includes(input.kind)) {
    return fail('report.bad_kind', `未知的报告类型「${xmlSafe(String(input.kind))}」。请选择区级推进情况报告、全市汇总报告或任务清单推进情况表。`);
  }
  if (!isIsoDate(asOf)) return fail('report.bad_date', `数据截至日期「${xmlSafe(asOf)}」无效，请填写如 2025-03-05 的日期。`);
  if (!isIsoDate(input.signDate)) return fail('report.bad_date', `成文日期「${xmlSafe(input.signDate)}」无效，请填写如 2025-03-05 的日期。`);
  if (input.monthly && !wellFormedSeries(input.monthly)) {
    return fail('report.bad_series', '月度推进数据不完整（日期与各状态数字的个数不一致），无法绘制推进态势图。请重新生成报告。');
  }

  // Units: the given list, plus any unit that only appears in annotations (named by its code).
  const unitMap = new Map<string, { ref: UnitRef; order: number }>();
  for (const u of input.units) unitMap.set(u.code, { ref: { code: u.code, name: u.name }, order: u.order });
  for (const a of input.annotations) {
    if (!unitMap.has(a.unitCode)) unitMap.set(a.unitCode, { ref: { code: a.unitCode, name: a.unitCode }, order: 10_000 });
  }
  const unknownUnits = scope.unitCodes.filter((c) => !unitMap.has(c));
  if (unknownUnits.length) {
    return fail('report.unknown_unit', `所选单位「${xmlSafe(unknownUnits.join('、'))}」不在数据中。请检查单位代码，或先导入该单位的数据包。`);
  }
  const tableNumbers = corpus.tables.map((t) => t.number);
  const badTables = scope.tables.filter((t) => !tableNumbers.includes(t));
  if (badTables.length) return fail('report.bad_table', `任务清单中没有表${badTables.join('、表')}，请在表1至表${tableNumbers.length}中选择。`);
  const badStatuses = scope.statuses.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (badStatuses.length) return fail('report.bad_status', `未知的完成状态「${xmlSafe(badStatuses.join('、'))}」。`);

  const unitCodes = scope.unitCodes.length ? [...new Set(scope.unitCodes)] : [...unitMap.keys()];
  const unitsInScope = unitCodes
    .map((c) => unitMap.get(c)!)
    .sort((x, y) => x.order - y.order || x.ref.code.localeCompare(y.ref.code));
  const unitSet = new Set(unitCodes);
  const tables = corpus.tables.filter((t) => !scope.tables.length || scope.tables.includes(t.number));
  const tableSet = new Set(tables.map((t) => t.number));
  const statusSet = new Set<Status>(scope.statuses.length ? scope.statuses : STATUSES);
  const taskById = new Map(corpus.tasks.map((t) => [t.id, t]));
  const taskOrder = new Map(corpus.tasks.map((t, i) => [t.id, i]));

  // Select: scope, as-of, known task; newest per key.
  let excludedAfterAsOf = 0;
  let unknownTasks = 0;
  const byKey = new Map<string, Annotation>();
  for (const a of input.annotations) {
    if (!unitSet.has(a.unitCode)) continue;
    const task = taskById.get(a.taskId);
    if (!task) {
      unknownTasks += 1;
      continue;
    }
    if (!tableSet.has(task.table) || !statusSet.has(a.status)) continue;
    if (!onOrBefore(a.updatedAt, asOf)) {
      excludedAfterAsOf += 1;
      continue;
    }
    const key = `${a.taskId}|${a.unitCode}`;
    const prev = byKey.get(key);
    if (!prev || Date.parse(a.updatedAt) > Date.parse(prev.updatedAt)) byKey.set(key, a);
  }
  const rows: Row[] = [...byKey.values()]
    .map((a) => {
      const u = unitMap.get(a.unitCode)!;
      return { a, task: taskById.get(a.taskId)!, unit: u.ref, unitOrder: u.order };
    })
    .sort(
      (x, y) =>
        taskOrder.get(x.task.id)! - taskOrder.get(y.task.id)! || x.unitOrder - y.unitOrder || x.unit.code.localeCompare(y.unit.code),
    );

  if (rows.length === 0) {
    return fail(
      'report.empty_scope',
      EMPTY_SCOPE_MESSAGE,
      `units=${unitCodes.length} tables=${[...tableSet].join(',')} statuses=${[...statusSet].join(',')} asOf=${asOf} excludedAfterAsOf=${excludedAfterAsOf}`,
    );
  }

  const taskRef = (t: Task): TaskRef => ({
    taskId: t.id,
    table: t.table,
    group: t.group,
    domain: t.domain,
    shortTitle: shortTitle(t.text),
    taskText: t.text,
  });
  const annotationsOf = (pred: (r: Row) => boolean) => rows.filter(pred).map((r) => r.a);

  // Figures.
  const overall = figuresOf(rows.map((r) => r.a), asOf);
  const byTable: FiguresRow[] = tables.map((t) => ({
    key: tableLabel(t.number),
    label: `${tableLabel(t.number)} ${t.title}`,
    ...figuresOf(annotationsOf((r) => r.task.table === t.number), asOf),
  }));
  const groups: { table: number; group: string }[] = [];
  for (const t of corpus.tasks) {
    if (tableSet.has(t.table) && !groups.some((g) => g.table === t.table && g.group === t.group)) groups.push({ table: t.table, group: t.group });
  }
  const byGroup = groups.map((g) => ({
    key: `${g.table}|${g.group}`,
    label: g.group,
    table: g.table,
    ...figuresOf(annotationsOf((r) => r.task.table === g.table && r.task.group === g.group), asOf),
  }));
  const byUnit: FiguresRow[] = unitsInScope.map((u) => ({
    key: u.ref.code,
    label: u.ref.name,
    ...figuresOf(annotationsOf((r) => r.unit.code === u.ref.code), asOf),
  }));

  // Unreported: task × unit pairs in scope without an annotation (only meaningful without a status filter).
  let unreported: number | null = null;
  if (!scope.statuses.length) {
    const tasksInScope = corpus.tasks.filter((t) => tableSet.has(t.table)).length;
    unreported = tasksInScope * unitsInScope.length - rows.length - excludedAfterAsOf;
    // Keys updated after the as-of date are reported, just not counted here.
    if (unreported < 0) unreported = 0;
  }

  // 二、主要做法和成效
  const practices: PracticeSection[] = tables.map((t) => {
    const tableRows = rows.filter((r) => r.task.table === t.number);
    const items = new Map<string, PracticeItem>();
    let withoutNotes = 0;
    for (const r of tableRows) {
      if (r.a.status === 'not_applicable') continue;
      const hasNotes = !isEmptyDoc(r.a.progressNotes);
      const hasResults = r.a.results.trim() !== '';
      if (!hasNotes && !hasResults) {
        withoutNotes += 1;
        continue;
      }
      let item = items.get(r.task.id);
      if (!item) {
        item = { ...taskRef(r.task), entries: [] };
        items.set(r.task.id, item);
      }
      item.entries.push({
        unit: r.unit,
        status: r.a.status,
        statusLabel: STATUS_LABELS[r.a.status],
        notes: hasNotes ? r.a.progressNotes : { type: 'doc', content: [] },
        results: r.a.results.trim(),
      });
    }
    const groupsOfTable = groups
      .filter((g) => g.table === t.number)
      .map((g) => ({ group: g.group, items: [...items.values()].filter((i) => i.group === g.group) }))
      .filter((g) => g.items.length > 0);
    return {
      number: t.number,
      title: t.title,
      figures: byTable.find((b) => b.key === tableLabel(t.number))!,
      groups: groupsOfTable,
      withoutNotes,
    };
  });

  // 三、制度创新成果和最佳实践案例 (+ case write-ups)
  const logs = (input.logEntries ?? []).filter((l) => !l.deleted && l.date <= asOf);
  const evidence = (input.evidence ?? []).filter((e) => !e.deleted && onOrBefore(e.date ?? e.createdAt, asOf));
  const cases: CaseItem[] = rows
    .filter((r) => r.a.isInnovation || r.a.isBestPractice)
    .map((r, i) => ({
      ...taskRef(r.task),
      index: i + 1,
      unit: r.unit,
      innovation: r.a.isInnovation,
      bestPractice: r.a.isBestPractice,
      status: r.a.status,
      statusLabel: STATUS_LABELS[r.a.status],
      notes: r.a.progressNotes,
      results: r.a.results.trim(),
      evidence: evidence
        .filter((e) => e.taskId === r.task.id && e.unitCode === r.unit.code)
        .sort((x, y) => (x.date ?? '').localeCompare(y.date ?? '') || x.title.localeCompare(y.title))
        .map((e) => ({ title: e.title, kindLabel: EVIDENCE_KIND_LABELS[e.kind] ?? '其他', docNumber: e.docNumber, dateText: cnDate(e.date) })),
      logs: logs
        .filter((l) => l.taskId === r.task.id && l.unitCode === r.unit.code && !isEmptyDoc(l.body))
        .sort((x, y) => x.date.localeCompare(y.date))
        .map((l) => ({ date: l.date, dateText: cnDate(l.date), body: l.body })),
      caseStudy: trimmedCaseStudy(r.a),
    }));

  // 四、存在问题
  const lagging: LaggingItem[] = [];
  let delayedCount = 0;
  let overdueCount = 0;
  for (const r of rows) {
    const { status, deadline } = r.a;
    const delayed = status === 'delayed';
    const late = daysOverdue(r.a, asOf);
    const overdue = late !== null;
    if (delayed) delayedCount += 1;
    if (overdue) overdueCount += 1;
    if (delayed || overdue) {
      lagging.push({
        ...taskRef(r.task),
        unit: r.unit,
        status,
        statusLabel: STATUS_LABELS[status],
        deadline,
        deadlineText: cnDate(deadline),
        daysOverdue: late,
        delayed,
      });
    }
  }
  const textItems = (pick: (a: Annotation) => string): TextItem[] =>
    rows.filter((r) => pick(r.a).trim() !== '').map((r) => ({ ...taskRef(r.task), unit: r.unit, text: pick(r.a).trim() }));
  const problems = textItems((a) => a.problems);
  const nextSteps = textItems((a) => a.nextSteps);

  // Ledger.
  const ledger: LedgerRow[] = rows.map((r, i) => {
    const a = r.a;
    const remarks: string[] = [];
    if (a.isInnovation) remarks.push('制度创新成果');
    if (a.isBestPractice) remarks.push('最佳实践案例');
    if (a.status !== 'not_applicable') remarks.push(`进度${a.progress}%`);
    const light = trafficLight(a, asOf);
    const late = daysOverdue(a, asOf);
    if (late !== null) {
      remarks.push(`已超完成时限${late}天`);
    } else if (light === 'yellow') remarks.push('临近完成时限');
    return {
      index: String(i + 1),
      taskId: r.task.id,
      category: r.task.domain ? `${r.task.group}/${r.task.domain}` : r.task.group,
      taskText: r.task.text,
      leadUnits: a.leadUnits.join('、'),
      partnerUnits: a.partnerUnits.join('、'),
      unitName: r.unit.name,
      deadline: cnDate(a.deadline),
      progress: plainText(a.progressNotes),
      results: a.results.trim(),
      problems: a.problems.trim(),
      nextSteps: a.nextSteps.trim(),
      status: STATUS_LABELS[a.status],
      remarks: remarks.join('；'),
      statusCode: a.status,
      light,
    };
  });

  // City: task × unit matrix.
  let matrix: StatusMatrix | null = null;
  if (input.kind === 'city') {
    matrix = {
      units: unitsInScope.map((u) => u.ref),
      rows: corpus.tasks
        .filter((t) => tableSet.has(t.table))
        .map((t) => ({ task: taskRef(t), cells: unitsInScope.map((u) => byKey.get(`${t.id}|${u.ref.code}`)?.status ?? null) })),
    };
  }

  // Meta.
  const allUnits = !scope.unitCodes.length;
  const unitNames = unitsInScope.map((u) => u.ref.name);
  const scopeName = unitNames.length === 1 ? unitNames[0]! : allUnits ? '全市' : unitNames.join('、');
  const unitsText = allUnits ? `全部单位（${unitNames.length}个）` : unitNames.join('、');
  const tablesText =
    tables.length === corpus.tables.length
      ? `表1至表${corpus.tables.length}全部${corpus.tasks.length}项任务`
      : tables.map((t) => tableLabel(t.number)).join('、');
  const statusesText = scope.statuses.length ? `状态为${REPORT_STATUS_ORDER.filter((s) => statusSet.has(s)).map((s) => STATUS_LABELS[s]).join('、')}` : '全部状态';
  const scopeText = `${unitsText}；${tablesText}；${statusesText}`;
  const title = input.title.trim() || defaultTitle(input.kind, unitNames.length === 1 ? unitNames : []);
  const appVersion = input.appVersion?.trim() || null;
  const provenance =
    `说明：本${input.kind === 'ledger' ? '表' : '报告'}数字均根据批注数据自动计算。统计范围：${scopeText}；` +
    `数据截至${cnDate(asOf)}（按批注最后更新时间，北京时间当日24时前）；共计入批注${rows.length}条` +
    (excludedAfterAsOf ? `，另有${excludedAfterAsOf}条在截至日期后更新，未计入` : '') +
    (unknownTasks ? `，${unknownTasks}条所属任务不在任务清单中，未计入` : '') +
    `；任务清单版本（语料哈希）${corpus.hash}` +
    `；由 Pilot Desk${appVersion ? ` ${appVersion}` : ''} 生成。`;

  const meta: ReportMeta = {
    kind: input.kind,
    kindLabel: REPORT_KIND_LABELS[input.kind],
    title,
    issuer: input.issuer.trim(),
    signDate: input.signDate,
    signDateText: cnDate(input.signDate),
    asOf,
    asOfText: cnDate(asOf),
    corpusHash: corpus.hash,
    planTitle: corpus.meta.title,
    appVersion,
    units: unitsInScope.map((u) => u.ref),
    scopeName,
    tables: tables.map((t) => ({ number: t.number, title: t.title })),
    statuses: REPORT_STATUS_ORDER.filter((s) => statusSet.has(s)),
    scopeText,
    excludedAfterAsOf,
    unknownTasks,
    unreported,
    provenance,
    form: input.form ?? EMPTY_FORM,
  };

  const model: ReportModel = {
    meta,
    overall,
    byTable,
    byGroup,
    byUnit,
    summary: [],
    practices,
    cases,
    innovationCount: cases.filter((c) => c.innovation).length,
    bestPracticeCount: cases.filter((c) => c.bestPractice).length,
    lagging,
    delayedCount,
    overdueCount,
    problems,
    nextSteps,
    ledger,
    matrix,
    ...(input.monthly ? { monthly: input.monthly } : {}),
  };
  model.summary = summarySentences(model);
  if (input.changesSince) {
    const inScope = (taskId: string, unitCode: string, at?: string) =>
      unitSet.has(unitCode) && tableSet.has(taskById.get(taskId)?.table ?? 0) && (at === undefined || onOrBefore(at, asOf));
    const ctx = { inScope, shortTitle: (id: string) => shortTitle(taskById.get(id)?.text ?? id), unitName: (c: string) => unitMap.get(c)?.ref.name ?? c, asOfText: meta.asOfText, cnDate };
    model.changes = buildReportChanges(input.changesSince, { annotations: rows.map((r) => r.a), evidence: input.evidence ?? [], logEntries: input.logEntries ?? [] }, ctx);
  }
  return ok(deepXmlSafe(model));
}

/** 已完成12项（占40.0%） for the statuses that occur, in report order. */
function statusPhrase(f: Figures): string {
  return REPORT_STATUS_ORDER.filter((s) => f.byStatus[s] > 0)
    .map((s) => `${STATUS_LABELS[s]}${f.byStatus[s]}项（占${pct(f.shares[s])}）`)
    .join('，');
}

/** The sentences of 一、总体推进情况. Every number comes from the model's figures. */
export function summarySentences(m: ReportModel): string[] {
  const o = m.overall;
  const out: string[] = [];
  out.push(`截至${m.meta.asOfText}，${m.meta.scopeName}纳入统计的试点任务批注共${o.total}项，其中${statusPhrase(o)}。`);
  out.push(
    `已实施（已完成和基本完成）任务合计${o.implemented}项，占应实施任务（不含不涉及）${o.applicable}项的${pct(o.implementedShare)}。` +
      `按完成时限预警，红灯${o.lights.red}项、黄灯${o.lights.yellow}项、绿灯${o.lights.green}项` +
      (o.lights.none > 0 ? `，另有未启动且未定完成时限的任务${o.lights.none}项未亮灯` : '') +
      `；其中进度滞后${m.delayedCount}项，已超过完成时限${m.overdueCount}项。`,
  );
  const tableParts = m.byTable
    .filter((t) => t.total > 0)
    .map((t) => `${t.key}批注${t.total}项，已实施${t.implemented}项，实施率${pct(t.implementedShare)}`);
  if (tableParts.length) out.push(`分表看，${tableParts.join('；')}。`);
  if (m.meta.kind === 'city' && m.byUnit.length > 1) {
    const unitParts = m.byUnit
      .filter((u) => u.total > 0)
      .map((u) => `${u.label}${u.implemented}/${u.applicable}项（${pct(u.implementedShare)}）`);
    out.push(`分单位看，已实施任务数/应实施任务数及实施率依次为：${unitParts.join('，')}。`);
  }
  if (m.meta.unreported) out.push(`另有${m.meta.unreported}项任务（按任务×单位计）尚未填报，未纳入上述统计。`);
  return out;
}
