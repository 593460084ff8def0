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
import { CITY_STATUS_RULE, cityTaskStatus, daysOverdue, isImplemented, orNotStarted, trafficLight, type Light } from '../rules';
import { chinaDate, cnDate, onOrBefore } from '../time';
import { isEmptyDoc, plainText, type RichDoc } from '../richtext';
import type { Corpus, Task } from '../corpus/types';
import { fail, ok, type Result } from '../result';
import { deepXmlSafe, xmlSafe } from './sanitize';
import type { MonthlySeries } from '../dashboard/monthly';
import { buildReportChanges, type ChangesBaseline, type ReportChanges } from '../snapshot/report';
import type { FieldName } from '../records';
import { EMPTY_FORM, type DraftSection, type GongwenForm } from './draft';
import { EMPTY_SCOPE_MESSAGE } from './messages';
import { LIGHT_LABELS, REPORT_STATUS_ORDER, pct, ratio, shortTitle, tableLabel } from './format';
import { generateDraft, refreshFigures } from './generate';
import { approvedExtension, effectiveDeadline, type EffectiveDeadline } from '../rounds/model';
import type { ReviewDecision } from '../rounds/schema';

export { LIGHT_LABELS, REPORT_STATUS_ORDER, pct, ratio, shortTitle, tableLabel };

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
  /**
   * Issued review decisions: an approved 延期申请 (批准延期, issued on or before the as-of date) moves
   * the task's deadline (`effectiveDeadline`), and the ledger prints it as extended.
   */
  extensions?: readonly ReviewDecision[];
  /**
   * The annotations are accepted data only (`acceptedData` of rounds/accepted.ts): the 说明 says so,
   * and how many annotations were left out as not (yet) accepted.
   */
  acceptedOnly?: { leftOut: number };
}

// ---------------------------------------------------------------------------------------------
// Model


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
export type LedgerRow = Record<LedgerKey, string> & { statusCode: Status; light: Light; shortTitle: string };

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
  /**
   * Every task of the tables in scope; a cell is null when the unit has no annotation in scope;
   * `city` is the task's city-level status (`cityTaskStatus`).
   */
  rows: { task: TaskRef; cells: (Status | null)[]; city: Status }[];
}

/** One of the plan's tasks as the city counts it (city reports): its city-level status and the units behind it. */
export interface CityTask extends TaskRef {
  status: Status;
  statusLabel: string;
  /** `city`: the 市级部门's own record; `derived`: from the districts and zones (`CITY_STATUS_RULE`). */
  source: 'city' | 'derived';
  /** Units that do not mark 不涉及 (an unannotated unit counts as 未启动). */
  applicableUnits: number;
  /** Of those, units that have implemented it (已完成 or 基本完成). */
  implementedUnits: number;
  /** Units where it is 进度滞后 or past its deadline unfinished. */
  laggingUnits: UnitRef[];
}

/** What the counts of a report count: the plan's tasks (city, one unit) or task × unit pairs (several units). */
export interface CountBasis {
  /** Tasks of the tables in scope (104 for the whole plan). */
  tasks: number;
  /** Units in scope. */
  units: number;
  /** `tasks`: every figure counts tasks; `pairs`: task × unit. */
  unit: 'tasks' | 'pairs';
  /** The sentence of the 说明 that says how tasks are counted. */
  rule: string;
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
  /** The plan's 发展目标 (一、总体要求（三）), as the seed states it; empty when the corpus has none. */
  planGoal: string;
  /** ISO date of the notice that issued the plan (the three-year pilot runs from it). */
  planDate: string;
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
  /** What `overall`, `byTable` and `byGroup` count. */
  basis: CountBasis;
  /**
   * City: the plan's tasks by their city-level status (`cityTaskStatus`); a district: its tasks, an
   * unannotated one as 未启动 (`orNotStarted`); several units (not a city report): task × unit pairs.
   */
  overall: Figures;
  byTable: FiguresRow[];
  byGroup: (FiguresRow & { table: number })[];
  /** Per unit: its tasks in scope, an unannotated one as 未启动. */
  byUnit: FiguresRow[];
  /** City reports: every task of the tables in scope with its city-level status; else empty. */
  cityTasks: CityTask[];
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
  /**
   * The body (一 … 五): the author's saved draft with its figures refreshed to this model, else the
   * generated draft (`generateDraft`). What the Word report prints, in the CLI and the app alike.
   */
  sections: DraftSection[];
}

// ---------------------------------------------------------------------------------------------
// Helpers (exported for renderers and tests)

/** An annotation's write-up with each part trimmed; null when there is none. */
export function trimmedCaseStudy(a: Annotation): CaseStudy | null {
  const c = caseStudyOf(a);
  if (!c) return null;
  return { name: c.name.trim(), field: c.field.trim(), approach: c.approach.trim(), results: c.results.trim(), replicability: c.replicability.trim() };
}

export function defaultTitle(kind: ReportKind, unitNames: string[]): string {
  const who = unitNames.length === 1 ? unitNames[0] : '南京市';
  if (kind === 'ledger') return `${who}服务业扩大开放综合试点任务清单推进情况表`;
  if (kind === 'city') return '南京市服务业扩大开放综合试点推进情况暨三年评估报告';
  return `${who}服务业扩大开放综合试点推进情况报告`;
}

/**
 * The newest day (Beijing date) of the data in scope: the latest annotation update of the units
 * given (all when empty), and of their log entries and evidence. The default 数据截至 of a report (a
 * later date would extend the figures and charts past the last data); null when there is none.
 */
export function newestDataDate(
  data: { annotations: readonly Pick<Annotation, 'unitCode' | 'updatedAt'>[]; logEntries?: readonly Pick<LogEntry, 'unitCode' | 'date' | 'deleted'>[]; evidence?: readonly Pick<Evidence, 'unitCode' | 'createdAt' | 'deleted'>[] },
  unitCodes: readonly string[] = [],
): string | null {
  const units = new Set(unitCodes);
  const inScope = (c: string) => units.size === 0 || units.has(c);
  let best: string | null = null;
  const see = (d: string | null) => {
    if (d && isIsoDate(d) && (best === null || d > best)) best = d;
  };
  for (const a of data.annotations) if (inScope(a.unitCode)) see(chinaDate(a.updatedAt));
  for (const l of data.logEntries ?? []) if (!l.deleted && inScope(l.unitCode)) see(l.date);
  for (const e of data.evidence ?? []) if (!e.deleted && inScope(e.unitCode)) see(chinaDate(e.createdAt));
  return best;
}

/** The warning when a report's 数据截至 is after the newest data (null when it is not). */
export function asOfWarning(asOf: string, newest: string | null): string | null {
  if (!newest || asOf <= newest) return null;
  return `数据截至日期${cnDate(asOf)}晚于所选数据的最后更新日期${cnDate(newest)}：报告中的数字和图表按${cnDate(asOf)}计，期间没有新的数据，完成时限的超期天数也按${cnDate(asOf)}计算。`;
}

/** A log entry's text without a leading date that repeats its own date (2024年8月12日：…). */
export function logBodyWithoutDate(body: RichDoc, date: string): RichDoc {
  const first = body.content[0];
  const firstText = first?.content?.[0];
  if (!first || first.type !== 'paragraph' || firstText?.type !== 'text' || !firstText.text) return body;
  const lead = `${cnDate(date)}`;
  const m = firstText.text.match(/^\s*(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})\s*[：:，,]?\s*/u);
  if (!m) return body;
  const d = m[1]!.includes('-') ? cnDate(m[1]!) : m[1]!;
  if (d !== lead) return body;
  const rest = firstText.text.slice(m[0].length);
  const content = [...(rest ? [{ ...firstText, text: rest }] : []), ...(first.content ?? []).slice(1)];
  return { ...body, content: [{ ...first, content }, ...body.content.slice(1)] };
}

function zeroTally(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** The figures of a set of annotations. */
/** A ledger's 完成时限 cell: the date, and for an approved extension the date it replaced. */
export function deadlineText(deadline: string | null, extended?: { from: string | null }): string {
  if (!extended) return cnDate(deadline);
  return `${cnDate(deadline)}（经批准延期，${extended.from ? `原定${cnDate(extended.from)}` : '原未定完成时限'}）`;
}

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

export { EMPTY_SCOPE_MESSAGE };

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

  // Approved extensions move the deadline before anything is counted.
  const extended = new Map<string, NonNullable<EffectiveDeadline['extended']>>();
  const approved = (input.extensions ?? []).filter((d) => d.decision === 'extend' && onOrBefore(d.at, asOf));
  const sourceAnnotations = approved.length
    ? input.annotations.map((a) => {
        const e = effectiveDeadline(a.deadline, approvedExtension(approved, a.taskId, a.unitCode));
        if (!e.extended) return a;
        extended.set(a.key, e.extended);
        return { ...a, deadline: e.deadline };
      })
    : input.annotations;

  // Units: the given list, plus any unit that only appears in annotations (named by its code).
  const unitMap = new Map<string, { ref: UnitRef; order: number }>();
  for (const u of input.units) unitMap.set(u.code, { ref: { code: u.code, name: u.name }, order: u.order });
  for (const a of sourceAnnotations) {
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
  // Every status: what a task × unit is when the counts replace a missing annotation by 未启动.
  const anyStatus = new Map<string, Annotation>();
  for (const a of sourceAnnotations) {
    if (!unitSet.has(a.unitCode)) continue;
    const task = taskById.get(a.taskId);
    if (!task) {
      unknownTasks += 1;
      continue;
    }
    if (!tableSet.has(task.table)) continue;
    if (!onOrBefore(a.updatedAt, asOf)) {
      if (statusSet.has(a.status)) excludedAfterAsOf += 1;
      continue;
    }
    const key = `${a.taskId}|${a.unitCode}`;
    const prevAny = anyStatus.get(key);
    if (!prevAny || Date.parse(a.updatedAt) > Date.parse(prevAny.updatedAt)) anyStatus.set(key, a);
  }
  for (const [key, a] of anyStatus) if (statusSet.has(a.status)) byKey.set(key, a);
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

  // Figures: over tasks (a city's by `cityTaskStatus`, a unit's with 未启动 for a missing
  // annotation), or over task × unit pairs when several units are reported without a city view.
  const tasksInTables = corpus.tasks.filter((t) => tableSet.has(t.table));
  const city = input.kind === 'city';
  const kindOf = new Map(input.units.map((u) => [u.code, u.kind]));
  type Counted = { task: Task; status: Status; deadline: string | null };
  const counted: Counted[] = [];
  const cityTasks: CityTask[] = [];
  for (const t of tasksInTables) {
    if (city) {
      const records = unitsInScope.map((u) => ({ unit: u.ref, unitKind: kindOf.get(u.ref.code) ?? ('district' as const), annotation: anyStatus.get(`${t.id}|${u.ref.code}`) ?? null }));
      const c = cityTaskStatus(records, asOf);
      const districts = records.filter((r) => r.unitKind !== 'city');
      const applicable = districts.filter((r) => orNotStarted(r.annotation).status !== 'not_applicable');
      if (statusSet.has(c.status)) counted.push({ task: t, status: c.status, deadline: c.deadline });
      cityTasks.push({
        ...taskRef(t),
        status: c.status,
        statusLabel: STATUS_LABELS[c.status],
        source: c.source,
        applicableUnits: applicable.length,
        implementedUnits: applicable.filter((r) => r.annotation && isImplemented(r.annotation.status)).length,
        laggingUnits: applicable.filter((r) => r.annotation && (r.annotation.status === 'delayed' || daysOverdue(r.annotation, asOf) !== null)).map((r) => r.unit),
      });
    } else {
      for (const u of unitsInScope) {
        const a = orNotStarted(anyStatus.get(`${t.id}|${u.ref.code}`));
        if (statusSet.has(a.status)) counted.push({ task: t, status: a.status, deadline: a.deadline });
      }
    }
  }
  const countedOf = (pred: (c: Counted) => boolean) => counted.filter(pred);
  const basis: CountBasis =
    city || unitsInScope.length === 1
      ? {
          tasks: tasksInTables.length,
          units: unitsInScope.length,
          unit: 'tasks',
          rule: city
            ? `全市任务数按方案${tasksInTables.length}项试点任务计，各单位情况另表列示。${CITY_STATUS_RULE}`
            : `任务数按方案${tasksInTables.length}项试点任务计，未填报的任务按未启动计。`,
        }
      : { tasks: tasksInTables.length, units: unitsInScope.length, unit: 'pairs', rule: '任务数按任务×单位计，未填报的按未启动计。' };
  const overall = figuresOf(counted, asOf);
  const byTable: FiguresRow[] = tables.map((t) => ({
    key: tableLabel(t.number),
    label: `${tableLabel(t.number)} ${t.title}`,
    ...figuresOf(countedOf((c) => c.task.table === t.number), asOf),
  }));
  const groups: { table: number; group: string }[] = [];
  for (const t of corpus.tasks) {
    if (tableSet.has(t.table) && !groups.some((g) => g.table === t.table && g.group === t.group)) groups.push({ table: t.table, group: t.group });
  }
  const byGroup = groups.map((g) => ({
    key: `${g.table}|${g.group}`,
    label: g.group,
    table: g.table,
    ...figuresOf(countedOf((c) => c.task.table === g.table && c.task.group === g.group), asOf),
  }));
  const byUnit: FiguresRow[] = unitsInScope.map((u) => ({
    key: u.ref.code,
    label: u.ref.name,
    ...figuresOf(
      tasksInTables.map((t) => orNotStarted(anyStatus.get(`${t.id}|${u.ref.code}`))).filter((a) => statusSet.has(a.status)),
      asOf,
    ),
  }));

  // Unreported: task × unit pairs in scope without an annotation (only meaningful without a status filter).
  let unreported: number | null = null;
  if (!scope.statuses.length) {
    const tasksInScope = corpus.tasks.filter((t) => tableSet.has(t.table)).length;
    // Pairs with no annotation on or before the as-of date (they count as 未启动).
    unreported = Math.max(0, tasksInScope * unitsInScope.length - anyStatus.size);
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
        .map((l) => ({ date: l.date, dateText: cnDate(l.date), body: logBodyWithoutDate(l.body, l.date) })),
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
      deadline: deadlineText(a.deadline, extended.get(a.key)),
      progress: plainText(a.progressNotes),
      results: a.results.trim(),
      problems: a.problems.trim(),
      nextSteps: a.nextSteps.trim(),
      status: STATUS_LABELS[a.status],
      remarks: remarks.join('；'),
      statusCode: a.status,
      light,
      shortTitle: shortTitle(r.task.text),
    };
  });

  // City: task × unit matrix.
  let matrix: StatusMatrix | null = null;
  if (input.kind === 'city') {
    matrix = {
      units: unitsInScope.map((u) => u.ref),
      rows: corpus.tasks
        .filter((t) => tableSet.has(t.table))
        .map((t) => ({
          task: taskRef(t),
          cells: unitsInScope.map((u) => byKey.get(`${t.id}|${u.ref.code}`)?.status ?? null),
          city: cityTasks.find((c) => c.taskId === t.id)!.status,
        })),
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
    `。${basis.rule}` +
    (input.acceptedOnly
      ? `仅计入经市级督办审核通过（含销号）的数据：每项任务按最后一次审核通过的报送时的状态计${input.acceptedOnly.leftOut ? `，另有${input.acceptedOnly.leftOut}条批注尚未审核通过，未计入` : ''}。`
      : '') +
    (extended.size ? `完成时限经批准延期的任务${extended.size}项，按延期后的完成时限计。` : '') +
    `任务清单版本（语料哈希）${corpus.hash}` +
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
    planGoal: corpus.chapters.flatMap((c) => c.sections).find((x) => x.title === '发展目标')?.paragraphs.join('') ?? '',
    planDate: corpus.meta.date,
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
    basis,
    overall,
    byTable,
    byGroup,
    byUnit,
    cityTasks,
    summary: [],
    sections: [],
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
  const safe = deepXmlSafe(model);
  safe.sections = input.draft?.sections?.length ? refreshFigures(deepXmlSafe(input.draft.sections), safe) : generateDraft(safe);
  return ok(safe);
}

/** 已完成12项（占40.0%） for the statuses that occur, in report order. */
function statusPhrase(f: Figures): string {
  return REPORT_STATUS_ORDER.filter((s) => f.byStatus[s] > 0)
    .map((s) => `${STATUS_LABELS[s]}${f.byStatus[s]}项（占${pct(f.shares[s])}）`)
    .join('，');
}

/** The sentences of 一、总体推进情况 (the report builder's preview). Every number comes from the model's figures. */
export function summarySentences(m: ReportModel): string[] {
  const o = m.overall;
  const out: string[] = [];
  const what = m.basis.unit === 'tasks' ? `方案${m.basis.tasks}项试点任务中纳入统计的${o.total}项` : `试点任务（按任务×单位计）${o.total}项`;
  out.push(`截至${m.meta.asOfText}，${m.meta.scopeName}${what}，${statusPhrase(o) || '暂无'}。`);
  out.push(
    `已实施（已完成和基本完成）任务合计${o.implemented}项，占应实施任务（不含不涉及）${o.applicable}项的${pct(o.implementedShare)}。` +
      `按完成时限预警，红灯${o.lights.red}项、黄灯${o.lights.yellow}项、绿灯${o.lights.green}项` +
      (o.lights.none > 0 ? `，另有未启动且未定完成时限的任务${o.lights.none}项未亮灯` : '') +
      '。',
  );
  const tableParts = m.byTable.filter((t) => t.total > 0).map((t) => `${t.key}${t.total}项，已实施${t.implemented}项，实施率${pct(t.implementedShare)}`);
  if (tableParts.length) out.push(`分表看，${tableParts.join('；')}。`);
  if (m.meta.kind === 'city' && m.byUnit.length > 1) {
    const unitParts = m.byUnit.filter((u) => u.total > 0).map((u) => `${u.label}${u.implemented}/${u.applicable}项（${pct(u.implementedShare)}）`);
    out.push(`分单位看，已实施任务数/应实施任务数及实施率依次为：${unitParts.join('，')}。`);
  }
  if (m.meta.unreported && m.basis.unit === 'tasks' && m.meta.kind !== 'city') out.push(`其中${m.meta.unreported}项任务尚未填报，按未启动计。`);
  return out;
}
