/**
 * The rules of the 督办 loop, pure (app, worker and CLI alike): what a round covers, which of a
 * district's tasks it still has to update, whether a unit submitted on time, late or not yet, and
 * what a task's review state is. Shapes are in schema.ts.
 */
import type { Annotation } from '../domain';
import { canonicalJson, sha256Hex } from '../hash';
import { chinaDate } from '../time';
import type { ReviewDecision, ReviewDecisionKind, Round, Submission } from './schema';

export type { ReviewDecision, ReviewDecisionKind, Round, Submission, RoundMarker, BundleKind, ProfileRole } from './schema';
export { REVIEW_DECISIONS, BUNDLE_KINDS, PROFILE_ROLES } from './schema';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Chinese labels of the decisions. */
export const REVIEW_DECISION_LABELS: Record<ReviewDecisionKind, string> = { pass: '通过', return: '退回补充', close: '销号' };

/** Problems of a round the supervisor is defining, as Chinese messages by field. Empty when valid. */
export function validateRound(r: { name: string; unitCodes: readonly string[]; tables: readonly number[]; dueDate: string; opensAt?: string }): Partial<Record<'name' | 'unitCodes' | 'tables' | 'dueDate', string>> {
  const errors: Partial<Record<'name' | 'unitCodes' | 'tables' | 'dueDate', string>> = {};
  if (r.name.trim() === '') errors.name = '请填写轮次名称（如「2026年11月月报」）';
  else if (r.name.length > 60) errors.name = '轮次名称不超过 60 字';
  if (r.unitCodes.length === 0) errors.unitCodes = '请至少选择一个报送单位';
  if (r.tables.length === 0) errors.tables = '请至少选择一张任务表';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.dueDate)) errors.dueDate = '请选择截止日期';
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
 * A task's review state for a unit: the latest issued decision (by time) across rounds, or null.
 * Drafts (`reviewId` null) do not count: the district sees only what a review file brought.
 */
export function reviewStateOf(decisions: readonly ReviewDecision[], taskId: string, unitCode: string): ReviewDecision | null {
  let best: ReviewDecision | null = null;
  for (const d of decisions) {
    if (d.taskId !== taskId || d.unitCode !== unitCode || d.reviewId === null) continue;
    if (!best || d.at > best.at || (d.at === best.at && d.id > best.id)) best = d;
  }
  return best;
}

/** One event of a task's 报送 / 审核 exchange, for its history. */
export interface RoundEvent {
  at: string;
  who: { name: string; unitCode: string };
  what: 'submitted' | ReviewDecisionKind;
  roundId: string;
  comment: string;
}

/** The exchange on one task of one unit, oldest first: its submissions (that carried it updated) and the issued decisions. */
export function taskRoundHistory(taskId: string, unitCode: string, submissions: readonly Submission[], decisions: readonly ReviewDecision[]): RoundEvent[] {
  const out: RoundEvent[] = [];
  for (const s of submissions) {
    if (s.unitCode === unitCode && s.updatedTaskIds.includes(taskId)) out.push({ at: s.submittedAt, who: s.author, what: 'submitted', roundId: s.roundId, comment: '' });
  }
  for (const d of decisions) {
    if (d.taskId === taskId && d.unitCode === unitCode && d.reviewId !== null) out.push({ at: d.at, who: d.by, what: d.decision, roundId: d.roundId, comment: d.comment });
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}
