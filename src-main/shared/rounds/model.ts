/**
 * The rules of the 督办 loop, pure (app, worker and CLI alike): what a round covers, which of a
 * district's tasks it still has to update, whether a unit submitted on time, late or not yet, and
 * what a task's review state is. Shapes are in schema.ts.
 */
import { isIsoDate, type Annotation } from '../domain';
import { canonicalJson, sha256Hex } from '../hash';
import { chinaDate } from '../time';
import { isExtensionDecision, type ReviewDecisionKind } from './kinds';
import type { ExtensionRequest, ReviewDecision, Round, Submission } from './schema';

export type { ExtensionRequest, ReviewDecision, ReviewDecisionKind, Round, Submission, RoundMarker, BundleKind, ProfileRole } from './schema';
export { REVIEW_DECISIONS, EXTENSION_DECISIONS, isExtensionDecision, BUNDLE_KINDS, PROFILE_ROLES } from './kinds';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Chinese labels of the decisions. */
export const REVIEW_DECISION_LABELS: Record<ReviewDecisionKind, string> = { pass: '通过', return: '退回补充', close: '销号', extend: '批准延期', refuse_extension: '不同意延期' };

/** Problems of a round the supervisor is defining, as Chinese messages by field. Empty when valid. */
export function validateRound(r: { name: string; unitCodes: readonly string[]; tables: readonly number[]; dueDate: string; opensAt?: string }): Partial<Record<'name' | 'unitCodes' | 'tables' | 'dueDate', string>> {
  const errors: Partial<Record<'name' | 'unitCodes' | 'tables' | 'dueDate', string>> = {};
  if (r.name.trim() === '') errors.name = '请填写轮次名称（如「2026年11月月报」）';
  else if (r.name.length > 60) errors.name = '轮次名称不超过 60 字';
  if (r.unitCodes.length === 0) errors.unitCodes = '请至少选择一个报送单位';
  if (r.tables.length === 0) errors.tables = '请至少选择一张任务表';
  if (!isIsoDate(r.dueDate)) errors.dueDate = '请选择截止日期（如 2026年11月30日）';
  else if (r.opensAt && (chinaDate(r.opensAt) ?? '') > r.dueDate) errors.dueDate = '截止日期不能早于轮次开始日期';
  return errors;
}

/** Of two versions of the same round, the one that wins a merge (later `updatedAt`; ties decided the same everywhere). */
export function newerRound(a: Round, b: Round): Round {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return canonicalJson(b) > canonicalJson(a) ? b : a;
}

/** The task ids of the corpus that a round covers (its tables), in corpus order. */
export function roundTaskIds(round: Pick<Round, 'tables'>, tasks: readonly { id: string; table: number }[]): string[] {
  const tables = new Set(round.tables);
  return tasks.filter((t) => tables.has(t.table)).map((t) => t.id);
}

/** Whether the unit's annotation of a task changed since the round opened. */
export const updatedSince = (a: Pick<Annotation, 'updatedAt'> | undefined, opensAt: string): boolean => !!a && a.updatedAt >= opensAt;

/** One line of a district's round checklist. */
export interface ChecklistItem {
  taskId: string;
  updated: boolean;
  /** `updatedAt` of the unit's annotation, or null. */
  updatedAt: string | null;
}

/**
 * A district's checklist for a round: every task of the round's tables, those not updated since the
 * round opened first (in corpus order), then the updated ones.
 */
export function roundChecklist(round: Pick<Round, 'tables' | 'opensAt'>, tasks: readonly { id: string; table: number }[], annotations: ReadonlyMap<string, Pick<Annotation, 'updatedAt'>>): ChecklistItem[] {
  const items = roundTaskIds(round, tasks).map((taskId) => {
    const a = annotations.get(taskId);
    return { taskId, updated: updatedSince(a, round.opensAt), updatedAt: a?.updatedAt ?? null };
  });
  return [...items.filter((i) => !i.updated), ...items.filter((i) => i.updated)];
}

/** The sha-256 of what a submission carries (its annotations' keys and heads): the receipt shows it. */
export function submissionDigest(annotations: readonly Pick<Annotation, 'key' | 'head'>[]): string {
  return sha256Hex(canonicalJson([...annotations].map((a) => [a.key, a.head]).sort((x, y) => cmp(x[0]!, y[0]!))));
}

export type SubmissionState = 'onTime' | 'late' | 'missing';
export const SUBMISSION_STATE_LABELS: Record<SubmissionState, string> = { onTime: '按时报送', late: '逾期报送', missing: '未报送' };

/** A unit's line of 报送情况. */
export interface UnitRoundStatus {
  unitCode: string;
  state: SubmissionState;
  /** The latest submission of the unit for the round, or null. */
  latest: Submission | null;
  /** How many times the unit submitted. */
  count: number;
  /** Tasks the latest submission had updated since the round opened. */
  tasksUpdated: number;
}

/**
 * Whether a submission is on time: sent on or before the round's due date, counted in Beijing time
 * (a submission at 23:59 on the due day in Nanjing is on time whatever the computer's zone).
 * A unit that submitted late and again later stays late; one that submitted on time and then again
 * after the due date (a fix after 退回补充) stays on time: the first submission decides.
 */
export function roundStatus(round: Pick<Round, 'id' | 'unitCodes' | 'dueDate'>, submissions: readonly Submission[]): UnitRoundStatus[] {
  return round.unitCodes.map((unitCode) => {
    const mine = submissions.filter((s) => s.roundId === round.id && s.unitCode === unitCode).sort((a, b) => cmp(a.submittedAt, b.submittedAt) || cmp(a.id, b.id));
    if (mine.length === 0) return { unitCode, state: 'missing', latest: null, count: 0, tasksUpdated: 0 };
    const first = mine[0]!;
    const latest = mine[mine.length - 1]!;
    const state: SubmissionState = (chinaDate(first.submittedAt) ?? '') <= round.dueDate ? 'onTime' : 'late';
    return { unitCode, state, latest, count: mine.length, tasksUpdated: latest.updatedTaskIds.length };
  });
}

/** The 催报 text to paste into a message: the round, its due date and the units not yet submitted. */
export function urgeText(round: Pick<Round, 'name' | 'dueDate'>, missing: readonly string[], unitName: (code: string) => string): string {
  if (missing.length === 0) return '';
  const [y, m, d] = round.dueDate.split('-').map(Number);
  return `【催报】「${round.name}」报送截止日期为${y}年${m}月${d}日，以下单位尚未报送：${missing.map(unitName).join('、')}。请尽快报送。`;
}

/** The latest submission of a unit for a round (by time, then id), or null. */
export function latestSubmission(submissions: readonly Submission[], roundId: string, unitCode: string): Submission | null {
  let best: Submission | null = null;
  for (const s of submissions) {
    if (s.roundId !== roundId || s.unitCode !== unitCode) continue;
    if (!best || s.submittedAt > best.submittedAt || (s.submittedAt === best.submittedAt && s.id > best.id)) best = s;
  }
  return best;
}

/**
 * A task's review state for a unit: the latest issued 通过 / 退回补充 / 销号 (by time) across rounds,
 * or null. Drafts (`reviewId` null) do not count: the district sees only what a review file brought.
 * Answers to a 延期申请 are not a review state (`approvedExtension`).
 */
export function reviewStateOf(decisions: readonly ReviewDecision[], taskId: string, unitCode: string): ReviewDecision | null {
  let best: ReviewDecision | null = null;
  for (const d of decisions) {
    if (d.taskId !== taskId || d.unitCode !== unitCode || d.reviewId === null || isExtensionDecision(d.decision)) continue;
    if (!best || d.at > best.at || (d.at === best.at && d.id > best.id)) best = d;
  }
  return best;
}

/**
 * The tasks of a unit sent back (退回补充) and not yet answered: the task's latest review state is a
 * return, and the unit has not submitted again for that round since the submission the review
 * answered (a review of an older submission is refused on import, so any later 报送 is the answer).
 * By task id, with the decision (its comment).
 */
export function returnedTasks(decisions: readonly ReviewDecision[], submissions: readonly Submission[], unitCode: string): Map<string, ReviewDecision> {
  const out = new Map<string, ReviewDecision>();
  const mine = decisions.filter((d) => d.unitCode === unitCode);
  for (const taskId of new Set(mine.map((d) => d.taskId))) {
    const d = reviewStateOf(mine, taskId, unitCode);
    if (d?.decision !== 'return') continue;
    const latest = latestSubmission(submissions, d.roundId, unitCode);
    if (!latest || latest.id === d.submissionId) out.set(taskId, d);
  }
  return out;
}

/** One event of a task's 报送 / 审核 exchange, for its history. */
export interface RoundEvent {
  at: string;
  who: { name: string; unitCode: string };
  what: 'submitted' | 'extensionAsked' | ReviewDecisionKind;
  roundId: string;
  comment: string;
  /** For a 延期申请 and its answer: the old and the asked deadline. */
  extension?: { from: string | null; to: string };
}

/** The exchange on one task of one unit, oldest first: its submissions (that carried it updated) and the issued decisions. */
export function taskRoundHistory(taskId: string, unitCode: string, submissions: readonly Submission[], decisions: readonly ReviewDecision[]): RoundEvent[] {
  const out: RoundEvent[] = [];
  for (const s of submissions) {
    if (s.unitCode !== unitCode) continue;
    if (s.updatedTaskIds.includes(taskId)) out.push({ at: s.submittedAt, who: s.author, what: 'submitted', roundId: s.roundId, comment: '' });
    const asked = s.extensions?.find((x) => x.taskId === taskId);
    if (asked) out.push({ at: s.submittedAt, who: s.author, what: 'extensionAsked', roundId: s.roundId, comment: asked.reason, extension: { from: asked.from, to: asked.to } });
  }
  for (const d of decisions) {
    if (d.taskId === taskId && d.unitCode === unitCode && d.reviewId !== null) {
      out.push({ at: d.at, who: d.by, what: d.decision, roundId: d.roundId, comment: d.comment, ...(d.extension ? { extension: d.extension } : {}) });
    }
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}

// ---------------------------------------------------------------------------------------------
// 延期申请

/** The id of the answer to the 延期申请 on one task of one submission. */
export const extensionDecisionId = (submissionId: string, taskId: string): string => `x-${submissionId}-${taskId}`;

/** The latest issued 批准延期 of a task in a unit (by time), or null. */
export function approvedExtension(decisions: readonly ReviewDecision[], taskId: string, unitCode: string): (ReviewDecision & { extension: { from: string | null; to: string } }) | null {
  let best: ReviewDecision | null = null;
  for (const d of decisions) {
    if (d.taskId !== taskId || d.unitCode !== unitCode || d.reviewId === null || d.decision !== 'extend' || !d.extension) continue;
    if (!best || d.at > best.at || (d.at === best.at && d.id > best.id)) best = d;
  }
  return best as (ReviewDecision & { extension: { from: string | null; to: string } }) | null;
}

/** A task's 完成时限 as it stands after an approved extension. */
export interface EffectiveDeadline {
  deadline: string | null;
  /** The approved extension that set it (absent: the annotation's own deadline). */
  extended?: { from: string | null; to: string; by: string; at: string; roundId: string };
}

/**
 * The deadline that counts: an approved extension moves the annotation's deadline from the old date
 * to the approved one while the annotation still holds the old date (or already holds the new one).
 * A deadline the district changed to something else afterwards is its own and stands.
 */
export function effectiveDeadline(deadline: string | null, approved: ReturnType<typeof approvedExtension>): EffectiveDeadline {
  if (!approved || (deadline !== approved.extension.from && deadline !== approved.extension.to)) return { deadline };
  return { deadline: approved.extension.to, extended: { ...approved.extension, by: approved.by.name, at: approved.at, roundId: approved.roundId } };
}

/** Problems of a 延期申请 the district is writing, as a Chinese message (null: valid). */
export function validateExtensionRequest(x: { from: string | null; to: string; reason: string }): string | null {
  if (!isIsoDate(x.to)) return '请选择申请延期后的完成时限（如 2027年6月30日）';
  if (x.from !== null && x.to <= x.from) return '延期后的完成时限须晚于原完成时限';
  if (x.reason.trim() === '') return '请写明延期理由';
  if (x.reason.length > 500) return '延期理由不超过 500 字';
  return null;
}

/** The 延期申请 of a submission that have no issued answer yet here. */
export function openExtensionRequests(submission: Submission, decisions: readonly ReviewDecision[]): ExtensionRequest[] {
  const answered = new Set(decisions.filter((d) => d.submissionId === submission.id && d.reviewId !== null && isExtensionDecision(d.decision)).map((d) => d.taskId));
  return (submission.extensions ?? []).filter((x) => !answered.has(x.taskId));
}

// ---------------------------------------------------------------------------------------------
// Review state per unit (dashboard)

/** A unit's line of the dashboard's review summary for a round. */
export interface UnitReviewSummary {
  unitCode: string;
  state: SubmissionState;
  /** Tasks whose latest decision in the round is 通过 or 销号. */
  accepted: number;
  /** Tasks whose latest decision in the round is 退回补充. */
  returned: number;
  /** Tasks of the latest submission with no issued decision yet. */
  pending: number;
}

/** Per unit of a round: submitted (on time / late / not yet), accepted, returned, awaiting review. */
export function roundReviewSummary(round: Pick<Round, 'id' | 'unitCodes' | 'dueDate'>, submissions: readonly Submission[], decisions: readonly ReviewDecision[]): UnitReviewSummary[] {
  const inRound = decisions.filter((d) => d.roundId === round.id && d.reviewId !== null && !isExtensionDecision(d.decision));
  return roundStatus(round, submissions).map((s) => {
    const mine = inRound.filter((d) => d.unitCode === s.unitCode);
    const tasks = [...new Set(mine.map((d) => d.taskId))];
    let accepted = 0;
    let returned = 0;
    for (const t of tasks) {
      const d = reviewStateOf(mine, t, s.unitCode)!;
      if (d.decision === 'return') returned += 1;
      else accepted += 1;
    }
    const decidedOnLatest = new Set(mine.filter((d) => d.submissionId === s.latest?.id).map((d) => d.taskId));
    const pending = s.latest ? s.latest.updatedTaskIds.filter((t) => !decidedOnLatest.has(t)).length : 0;
    return { unitCode: s.unitCode, state: s.state, accepted, returned, pending };
  });
}

/** The open round for the dashboard: the first (by due date) that is not past due, else the latest. */
export function openRound<R extends Pick<Round, 'dueDate'>>(rounds: readonly R[], today: string): R | null {
  const sorted = [...rounds].sort((a, b) => cmp(a.dueDate, b.dueDate));
  return sorted.find((r) => r.dueDate >= today) ?? sorted[sorted.length - 1] ?? null;
}
