/**
 * What importing a bundle's rounds, submission receipts and review decisions would do here, and
 * whether it must be refused. Pure: the import service loads the local rows and writes the plan.
 *
 * - A submission file (报送) counts only for a round that exists here and names its unit: the
 *   supervisor's own round stays as it is (a district cannot re-date the round it answers).
 * - A review file (审核) counts only when it is a supervisor profile's file (readBundle checks the
 *   role it declares — signing comes later), answers this machine's latest submission of that round
 *   and unit, and has not been imported before: a replayed or out-of-date review is refused.
 * - An ordinary bundle brings rounds (the later edit wins, as for periods) and receipts; its review
 *   decisions count only from a supervisor's file, and a district's file carrying decisions that are
 *   not here already is refused (a 销号 cannot be made by a district).
 * - An answer to a 延期申请 (批准延期 / 不同意延期) in a review file must answer a request the answered
 *   submission made, with the same dates; a district's bundle cannot carry one (as for 销号).
 * - A receipt or decision already here with other content is a forgery or a corruption: refused.
 */
import { canonicalJson } from '../hash';
import type { AppError } from '../result';
import { cnDate } from '../time';
import { latestSubmission, newerRound } from './model';
import type { BundleKind, ProfileRole } from './kinds';
import type { ReviewDecision, Round, RoundMarker, Submission } from './schema';

/** The local rows the plan needs. */
export interface RoundLocalState {
  rounds: ReadonlyMap<string, Round>;
  /** Every local receipt (few: one per unit and round and attempt). */
  submissions: readonly Submission[];
  /** Local decisions by id (of the bundle's decisions and of the review being imported). */
  reviews: ReadonlyMap<string, ReviewDecision>;
  /** Whether a decision of this review id is here already (a replayed review file). */
  reviewIdSeen: boolean;
}

export interface RoundPlan {
  newRounds: Round[];
  /** Local rounds the bundle's newer version replaces. */
  updatedRounds: { before: Round; theirs: Round }[];
  newSubmissions: Submission[];
  newReviews: ReviewDecision[];
  refusal?: AppError;
}

/** What the plan reads of a bundle. */
export interface RoundBundle {
  manifest: { kind?: BundleKind; role?: ProfileRole; round?: RoundMarker };
  rounds?: readonly Round[];
  submissions?: readonly Submission[];
  reviews?: readonly ReviewDecision[];
}

const refused = (detail: string, message: string): AppError => ({ code: 'import.refused', message: `${message}，已拒绝导入，本机数据没有任何改动。`, detail });

const EMPTY: RoundPlan = { newRounds: [], updatedRounds: [], newSubmissions: [], newReviews: [] };

export function planRoundImport(local: RoundLocalState, bundle: RoundBundle): RoundPlan {
  const kind = bundle.manifest.kind ?? 'bundle';
  const role = bundle.manifest.role ?? 'official';
  const marker = bundle.manifest.round;
  const plan: RoundPlan = { newRounds: [], updatedRounds: [], newSubmissions: [], newReviews: [] };
  const refuse = (detail: string, message: string): RoundPlan => ({ ...EMPTY, refusal: refused(detail, message) });

  // Receipts: immutable, by id.
  const localSubmissions = new Map(local.submissions.map((s) => [s.id, s]));
  for (const s of bundle.submissions ?? []) {
    const mine = localSubmissions.get(s.id);
    if (!mine) plan.newSubmissions.push(s);
    else if (canonicalJson(mine) !== canonicalJson(s)) return refuse(`submission ${s.id} differs`, '文件中的一条报送记录与本机已有的同一报送记录内容不同，可能被改动过');
  }

  if (kind === 'submission') {
    const round = local.rounds.get(marker!.roundId);
    if (!round) {
      const theirs = bundle.rounds?.find((r) => r.id === marker!.roundId);
      return refuse(`round ${marker!.roundId} not here`, `这份报送文件对应的填报轮次「${theirs?.name ?? marker!.roundId}」在本机不存在（可能已删除，或不是本机发布的轮次）`);
    }
    if (!round.unitCodes.includes(marker!.unitCode)) {
      return refuse(`unit ${marker!.unitCode} not in round ${round.id}`, `填报轮次「${round.name}」不要求单位 ${marker!.unitCode} 报送`);
    }
    // The round itself stays as the supervisor defined it.
    return plan;
  }

  for (const r of bundle.rounds ?? []) {
    const mine = local.rounds.get(r.id);
    if (!mine) plan.newRounds.push(r);
    else if (newerRound(mine, r) === r && canonicalJson(mine) !== canonicalJson(r)) plan.updatedRounds.push({ before: mine, theirs: r });
  }

  const decisions = bundle.reviews ?? [];
  const changedDecision = decisions.find((d) => {
    const mine = local.reviews.get(d.id);
    return mine !== undefined && canonicalJson(mine) !== canonicalJson(d);
  });
  if (changedDecision) return refuse(`decision ${changedDecision.id} differs`, `文件中任务 ${changedDecision.taskId} 的一条审核意见与本机已有的同一审核意见内容不同，可能被改动过`);
  const fresh = decisions.filter((d) => !local.reviews.has(d.id));

  if (kind === 'review') {
    if (local.reviewIdSeen) return refuse(`review ${marker!.reviewId} replayed`, '这份审核文件已经导入过，不能重复导入');
    const round = local.rounds.get(marker!.roundId) ?? plan.newRounds.find((r) => r.id === marker!.roundId);
    const answered = local.submissions.find((s) => s.id === marker!.submissionId);
    if (!round || !answered) {
      return refuse(`submission ${marker!.submissionId} not here`, '这份审核文件针对的报送不是本机报送的，无法导入');
    }
    const latest = latestSubmission(local.submissions, marker!.roundId, marker!.unitCode);
    if (latest && latest.id !== answered.id) {
      return refuse(
        `review answers ${answered.id}, latest ${latest.id}`,
        `这份审核文件针对的是${cnDate(answered.submittedAt)}的报送，本单位之后已重新报送（${cnDate(latest.submittedAt)}），这是一份过期的审核意见`,
      );
    }
    const unasked = fresh.find((d) => {
      if (!d.extension) return false;
      const x = answered.extensions?.find((e) => e.taskId === d.taskId);
      return !x || x.from !== d.extension.from || x.to !== d.extension.to;
    });
    if (unasked) {
      return refuse(`extension decision ${unasked.id} without request`, `这份审核文件对任务 ${unasked.taskId} 的延期审核意见与本单位报送的延期申请不一致（本单位没有这样申请）`);
    }
    plan.newReviews = fresh;
    return plan;
  }

  // An ordinary bundle.
  if (role !== 'supervisor') {
    if (fresh.length > 0) {
      return refuse(
        `official bundle with ${fresh.length} decisions`,
        '这个批注包由区级经办人的账户导出，却含有本机没有的审核意见（通过、退回补充或销号）；审核意见只认市级督办账户导出的文件',
      );
    }
    return plan;
  }
  plan.newReviews = fresh.filter((d) => d.reviewId !== null);
  return plan;
}

/** Whether a round plan writes anything. */
export const roundPlanWrites = (p: RoundPlan | undefined): boolean =>
  !!p && p.newRounds.length + p.updatedRounds.length + p.newSubmissions.length + p.newReviews.length > 0;
