/**
 * 情况通报: the circular a 督查 office issues on one 填报轮次 — which units submitted on time, late or
 * not at all, each unit's progress over the round's tasks, the tasks returned for more material
 * (退回补充) with the supervisor's comments, the tasks overdue, the tasks 销号, and what comes next.
 * Pure (app, worker and CLI alike); the Word document is laid out by main/report/circularDocx.ts.
 *
 * Counting: tasks are the plan's tasks of the round's tables (表1 has 50, all five tables 104);
 * a list of tasks (overdue, 销号) counts each plan task once and names the units it concerns. Only
 * the per-unit table counts per unit. Submission states are `roundStatus` (Beijing-time due date),
 * overdue is `isOverdue` at the as-of date, statuses default to 未启动 by `orNotStarted`. Review
 * decisions count once issued (a draft, `reviewId` null, does not), the latest per task × unit of
 * this round deciding.
 */
import { STATUSES, STATUS_LABELS, type Annotation, type Status } from '../domain';
import { isOverdue, orNotStarted } from '../rules';
import { roundStatus, roundTaskIds, type SubmissionState } from '../rounds/model';
import type { ReviewDecision, Round, Submission } from '../rounds/schema';
import { chinaDate, cnDate } from '../time';
import { EMPTY_FORM, type GongwenForm } from './draft';
import { shortTitle } from './format';
import { deepXmlSafe } from './sanitize';

export interface CircularInput {
  round: Round;
  submissions: readonly Submission[];
  reviews: readonly ReviewDecision[];
  annotations: readonly Pick<Annotation, 'unitCode' | 'taskId' | 'status' | 'deadline' | 'problems' | 'updatedAt'>[];
  units: readonly { code: string; name: string }[];
  tasks: readonly { id: string; table: number; text: string }[];
  /** ISO date the overdue rule is applied at (default: the round's due date). */
  asOf?: string;
  /** 发文机关 (落款); default 南京市服务业扩大开放综合试点工作领导小组办公室. */
  issuer?: string;
  /** ISO 成文日期 (default: asOf). */
  signDate?: string;
  form?: GongwenForm;
}

export interface CircularUnit {
  code: string;
  name: string;
  state: SubmissionState;
  /** First submission (it decides on-time / late), ISO timestamp, or null. */
  firstSubmittedAt: string | null;
  submissions: number;
  /** Tasks the latest submission had updated since the round opened. */
  tasksUpdated: number;
  /** Tasks of the round whose latest decision is 退回补充. */
  returned: number;
  closed: number;
  /** Status counts over the round's plan tasks (a task without annotation counts as 未启动). */
  statusCounts: Record<Status, number>;
  overdue: number;
}

export interface CircularTaskItem {
  taskId: string;
  title: string;
  unitNames: string[];
}

export interface CircularReturn {
  unitName: string;
  items: { taskId: string; title: string; comment: string }[];
}

export interface CircularModel {
  title: string;
  roundName: string;
  dueDate: string;
  dueDateText: string;
  asOf: string;
  issuer: string;
  signDate: string;
  signDateText: string;
  form: GongwenForm;
  /** Tasks of the plan the round covers. */
  planTasks: number;
  tableText: string;
  units: CircularUnit[];
  onTime: string[];
  late: string[];
  missing: string[];
  /** Distinct plan tasks updated by at least one unit's latest submission. */
  tasksUpdated: number;
  returns: CircularReturn[];
  returnedCount: number;
  overdue: CircularTaskItem[];
  closed: CircularTaskItem[];
  /** The body's paragraphs by section: 一 报送情况, 二 推进情况, 三 存在问题, 四 下步要求. */
  paragraphs: { submissions: string[]; progress: string[]; problems: string[]; next: string[] };
}

/** Overdue tasks listed one by one up to this many; beyond, the count and the ones concerning most units. */
const OVERDUE_LISTED = 8;
const OVERDUE_WORST = 5;

export const CIRCULAR_ISSUER = '南京市服务业扩大开放综合试点工作领导小组办公室';

const list = (names: readonly string[]) => names.join('、');

/** 「2026年11月」 or 「2026年第四季度」 from the round's name, else the name itself. */
export function circularPeriod(roundName: string): string {
  const m = /^(\d{4}年(?:第[一二三四1-4]季度|\d{1,2}月|上半年|下半年)?)/.exec(roundName.trim());
  return m && m[1] !== undefined && m[1].length > 5 ? m[1] : roundName.trim();
}

export function circularTitle(roundName: string): string {
  return `关于${circularPeriod(roundName)}服务业扩大开放综合试点任务推进情况的通报`;
}

export function buildCircularModel(input: CircularInput): CircularModel {
  const { round } = input;
  const asOf = input.asOf ?? round.dueDate;
  const signDate = input.signDate ?? asOf;
  const issuer = (input.issuer ?? '').trim() || CIRCULAR_ISSUER;
  const nameOf = new Map(input.units.map((u) => [u.code, u.name]));
  const name = (code: string) => nameOf.get(code) ?? code;
  const taskIds = roundTaskIds(round, input.tasks);
  const inRound = new Set(taskIds);
  const titleOf = new Map(input.tasks.map((t) => [t.id, shortTitle(t.text)]));
  const order = new Map(taskIds.map((t, i) => [t, i]));
  const byOrder = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const ann = new Map<string, (typeof input.annotations)[number]>();
  for (const a of input.annotations) {
    if (!inRound.has(a.taskId)) continue;
    const k = `${a.taskId}|${a.unitCode}`;
    const had = ann.get(k);
    if (!had || a.updatedAt > had.updatedAt) ann.set(k, a);
  }
  // The latest issued decision per task × unit of this round.
  const decided = new Map<string, ReviewDecision>();
  for (const d of input.reviews) {
    if (d.roundId !== round.id || d.reviewId === null || !inRound.has(d.taskId)) continue;
    const k = `${d.taskId}|${d.unitCode}`;
    const had = decided.get(k);
    if (!had || d.at > had.at || (d.at === had.at && d.id > had.id)) decided.set(k, d);
  }
  const status = roundStatus(round, input.submissions);
  const overdueUnits = new Map<string, string[]>();
  const closedUnits = new Map<string, string[]>();
  const returns: CircularReturn[] = [];
  const updated = new Set<string>();
  const units: CircularUnit[] = status.map((s) => {
    const statusCounts = Object.fromEntries(STATUSES.map((st) => [st, 0])) as Record<Status, number>;
    let overdue = 0;
    let returned = 0;
    let closed = 0;
    const items: CircularReturn['items'] = [];
    for (const t of taskIds) {
      const a = orNotStarted(ann.get(`${t}|${s.unitCode}`));
      statusCounts[a.status]++;
      if (isOverdue(a, asOf)) {
        overdue++;
        overdueUnits.set(t, [...(overdueUnits.get(t) ?? []), name(s.unitCode)]);
      }
      const d = decided.get(`${t}|${s.unitCode}`);
      if (d?.decision === 'return') {
        returned++;
        items.push({ taskId: t, title: titleOf.get(t) ?? t, comment: d.comment.trim() });
      } else if (d?.decision === 'close') {
        closed++;
        closedUnits.set(t, [...(closedUnits.get(t) ?? []), name(s.unitCode)]);
      }
    }
    for (const t of s.latest?.updatedTaskIds ?? []) if (inRound.has(t)) updated.add(t);
    if (items.length) returns.push({ unitName: name(s.unitCode), items });
    const first = input.submissions
      .filter((x) => x.roundId === round.id && x.unitCode === s.unitCode)
      .map((x) => x.submittedAt)
      .sort()[0];
    return { code: s.unitCode, name: name(s.unitCode), state: s.state, firstSubmittedAt: first ?? null, submissions: s.count, tasksUpdated: s.tasksUpdated, returned, closed, statusCounts, overdue };
  });
  const taskItems = (m: Map<string, string[]>): CircularTaskItem[] =>
    [...m.keys()].sort(byOrder).map((taskId) => ({ taskId, title: titleOf.get(taskId) ?? taskId, unitNames: m.get(taskId)! }));
  const overdue = taskItems(overdueUnits);
  const closed = taskItems(closedUnits);
  const of = (st: SubmissionState) => units.filter((u) => u.state === st).map((u) => u.name);
  const onTime = of('onTime');
  const late = of('late');
  const missing = of('missing');
  const returnedCount = returns.reduce((n, r) => n + r.items.length, 0);
  const tableText = round.tables.map((t) => `表${t}`).join('、');
  const dueDateText = cnDate(round.dueDate);
  const n = units.length;

  const submissions: string[] = [];
  submissions.push(
    `「${round.name}」覆盖试点方案${tableText}共${taskIds.length}项任务，应报送单位${n}个，报送截止日期为${dueDateText}。截至${cnDate(asOf)}，` +
      (missing.length === 0 ? `${n}个单位均已报送` : `已报送${n - missing.length}个，未报送${missing.length}个`) +
      `；其中按时报送${onTime.length}个，逾期报送${late.length}个。`,
  );
  if (onTime.length) submissions.push(`按时报送的单位：${list(onTime)}。`);
  if (late.length) submissions.push(`逾期报送的单位：${list(late)}。`);
  if (missing.length) submissions.push(`未报送的单位：${list(missing)}。`);
  submissions.push('各单位报送情况见下表。');

  const progress: string[] = [];
  progress.push(
    `本轮各单位报送中共更新试点任务${updated.size}项（按方案任务计，多个单位更新同一任务计为一项）。` +
      `已超期任务${overdue.length}项，经审核销号任务${closed.length}项。`,
  );
  const topUpdated = [...units].filter((u) => u.tasksUpdated > 0).sort((a, b) => b.tasksUpdated - a.tasksUpdated);
  if (topUpdated.length) progress.push(`更新任务较多的单位：${list(topUpdated.slice(0, 3).map((u) => `${u.name}（${u.tasksUpdated}项）`))}。`);
  if (overdue.length > 0 && overdue.length <= OVERDUE_LISTED) {
    progress.push(`已超过完成时限尚未完成的任务${overdue.length}项：${overdue.map((t) => `${t.taskId}${t.title}（${list(t.unitNames)}）`).join('；')}。`);
  } else if (overdue.length > OVERDUE_LISTED) {
    // A long list of task ids with unit names is unreadable (62 tasks filled two pages of the demo
    // circular): the count, the tasks that concern most units, and the per-unit counts in the table.
    const worst = [...overdue].sort((a, b) => b.unitNames.length - a.unitNames.length || byOrder(a.taskId, b.taskId)).slice(0, OVERDUE_WORST);
    progress.push(
      `已超过完成时限尚未完成的任务${overdue.length}项，各单位超期任务数见表1。涉及单位较多的是：${worst.map((t) => `${t.taskId}${t.title}（${t.unitNames.length}个单位）`).join('；')}。`,
    );
  }
  if (closed.length) progress.push(`经审核、佐证材料齐全予以销号的任务${closed.length}项：${closed.map((t) => `${t.taskId}${t.title}（${list(t.unitNames)}）`).join('；')}。`);

  const problems: string[] = [];
  if (returnedCount === 0) problems.push('本轮审核未发现需退回补充的事项。');
  else problems.push(`本轮审核退回补充${returnedCount}项（涉及${returns.length}个单位），意见如下：`);

  const next: string[] = [];
  if (missing.length) next.push(`请${list(missing)}于收到本通报后3个工作日内完成「${round.name}」报送。`);
  if (returnedCount) next.push(`请${list(returns.map((r) => r.unitName))}按审核意见补充材料，于收到本通报后5个工作日内重新报送。`);
  if (overdue.length) next.push(`对已超期的${overdue.length}项任务，请相关单位说明原因，明确完成时限，需调整时限的按程序提出延期申请。`);
  next.push('各单位要对照试点方案任务清单，按月更新推进情况和佐证材料，确保按时报送、数据准确。');

  return deepXmlSafe({
    title: circularTitle(round.name),
    roundName: round.name,
    dueDate: round.dueDate,
    dueDateText,
    asOf,
    issuer,
    signDate,
    signDateText: cnDate(signDate),
    form: input.form ?? EMPTY_FORM,
    planTasks: taskIds.length,
    tableText,
    units,
    onTime,
    late,
    missing,
    tasksUpdated: updated.size,
    returns,
    returnedCount,
    overdue,
    closed,
    paragraphs: { submissions, progress, problems, next },
  });
}

/** 报送时间 as printed in the table: 2026年11月9日 (Beijing time), or —. */
export function submittedText(at: string | null): string {
  return at ? cnDate(chinaDate(at)) : '—';
}

export { STATUS_LABELS };
