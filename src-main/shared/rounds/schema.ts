/**
 * The shapes of the 督办 loop (填报轮次 · 报送 · 审核), as strict zod schemas (the types are inferred
 * from them), and the checks `readBundle` runs on the rounds, submission receipts and review
 * decisions a bundle carries (format version 4). Pure: runs in the renderer, its worker and the CLI.
 *
 * Trust, until files are signed: a review decision (通过 / 退回补充 / 销号) counts only when it comes in
 * a file whose manifest says it was written by a supervisor profile (`role: 'supervisor'`). The role
 * is what the sender's profile declares, nothing more — anyone can set up a supervisor profile. The
 * manifest keeps a `signature` slot (always null for now) so that signing and key pinning can be
 * added without another format change to the marker.
 */
import { z } from 'zod';
import { LIMITS, NO_CONTROL_MESSAGE, authorSchema, id, isoDate, noControl, nonBlank, taskId, timestamp, unitCode } from '../records';
import { fail, ok, type Result } from '../result';
import { checkInPlace } from '../recordCheck';
import { REVIEW_DECISIONS, isExtensionDecision, ROUND_FILES, type BundleKind, type ProfileRole, type RoundListKind } from './kinds';

/** Most rounds, receipts and decisions a bundle may carry. */
export const ROUND_LIMITS = { rounds: 1_000, submissions: 100_000, reviews: 500_000, comment: 2_000, extensions: 1_000, reason: 500 } as const;

/** The five task tables (表1…表5). */
const tableNumber = z.int().min(1).max(5);

/**
 * A 填报轮次 the supervisor defines: 「2026年11月月报」, 「2026年第四季度」. Districts answer it with a
 * submission (报送). `opensAt` is when the round opened: a task counts as updated for the round when
 * its annotation changed at or after it. `dueDate` is the last day (Beijing time) a submission is on
 * time. Like periods, a round may be edited (renamed, re-dated) by whoever has it: the later
 * `updatedAt` wins on import.
 */
export const roundSchema = z
  .strictObject({
    id,
    name: nonBlank(60),
    /** Units that must submit, in unit order. */
    unitCodes: z.array(unitCode).min(1).max(LIMITS.units),
    /** Tables (1–5) whose tasks the round covers, ascending. */
    tables: z.array(tableNumber).min(1).max(5),
    opensAt: timestamp,
    dueDate: isoDate,
    createdBy: authorSchema,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .superRefine((r, ctx) => {
    if (new Set(r.unitCodes).size !== r.unitCodes.length) ctx.addIssue({ code: 'custom', message: '单位重复', path: ['unitCodes'] });
    if (new Set(r.tables).size !== r.tables.length) ctx.addIssue({ code: 'custom', message: '任务表重复', path: ['tables'] });
  });
export type Round = z.infer<typeof roundSchema>;

/**
 * A 延期申请: the district asks to move a task's 完成时限 from `from` (its deadline when it asked;
 * null: none set) to `to`, for a reason. Sent in a submission receipt; the supervisor approves or
 * refuses it in review.
 */
export const extensionRequestSchema = z
  .strictObject({
    taskId,
    from: isoDate.nullable(),
    to: isoDate,
    reason: nonBlank(ROUND_LIMITS.reason),
  })
  .refine((x) => x.from === null || x.to > x.from, { message: '延期后的完成时限须晚于原完成时限', path: ['to'] });
export type ExtensionRequest = z.infer<typeof extensionRequestSchema>;

/**
 * The receipt of one 报送: which unit answered which round, who sent it, when, and which tasks of the
 * round's tables it had updated since the round opened. Written once by the district when it makes
 * the submission file (kept there as its receipt), carried in that file, kept by the supervisor who
 * imports it. Never edited: a second 报送 is a new receipt.
 */
export const submissionSchema = z.strictObject({
  id,
  roundId: id,
  unitCode,
  author: authorSchema,
  submittedAt: timestamp,
  /** Tasks (of the round's tables) whose annotation changed since the round opened, sorted. */
  updatedTaskIds: z.array(taskId).max(1_000),
  /** sha-256 (hex) of the records the file carried, shown on the receipt so both sides can compare. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** 延期申请 sent with this 报送 (format version 5; absent: none). */
  extensions: z.array(extensionRequestSchema).max(ROUND_LIMITS.extensions).optional(),
});
export type Submission = z.infer<typeof submissionSchema>;


// The decision names live in kinds.ts (no zod), so that the review model the first screen uses does
// not pull the schemas in; they are re-exported here with the schemas that check them.
export { EXTENSION_DECISIONS, REVIEW_DECISIONS, isExtensionDecision, type ReviewDecisionKind } from './kinds';

/**
 * One decision of a supervisor on one task of one submission. `reviewId` is null while the decision
 * is a draft on the supervisor's machine; issuing the review file stamps it with the file's id.
 * A 退回补充 needs a comment (what to add).
 */
export const reviewDecisionSchema = z
  .strictObject({
    id,
    roundId: id,
    unitCode,
    taskId,
    submissionId: id,
    decision: z.enum(REVIEW_DECISIONS),
    comment: z.string().max(ROUND_LIMITS.comment).refine(noControl, { message: NO_CONTROL_MESSAGE }),
    by: authorSchema,
    at: timestamp,
    reviewId: id.nullable(),
    /** For 批准延期 / 不同意延期: the request answered (its old and asked deadline). */
    extension: z.strictObject({ from: isoDate.nullable(), to: isoDate }).optional(),
  })
  .refine((d) => d.decision !== 'return' || d.comment.trim() !== '', { message: '退回补充须写明意见', path: ['comment'] })
  .refine((d) => isExtensionDecision(d.decision) === (d.extension !== undefined), { message: '延期审核意见须写明原完成时限和申请的完成时限', path: ['extension'] });
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export { BUNDLE_KINDS, PROFILE_ROLES, ROUND_FILES, ROUND_LIST_KINDS, type BundleKind, type ProfileRole, type RoundListKind } from './kinds';

/**
 * The marker of a submission or review file: the round, the unit, the submission (for a review:
 * the one it answers) and, for a review file, the review's own id (an imported review id is never
 * applied twice: a replayed file is refused).
 */
export const roundMarkerSchema = z.strictObject({
  roundId: id,
  unitCode,
  submissionId: id,
  reviewId: id.optional(),
});
export type RoundMarker = z.infer<typeof roundMarkerSchema>;


/** The manifest fields of format version 4 that the round checks read. */
export interface RoundManifest {
  kind: BundleKind;
  role: ProfileRole;
  round?: RoundMarker;
  author: { name: string; unitCode: string };
  createdAt: string;
}

const refuse = (code: string, message: string, detail: string) => fail(code, `${message}，已拒绝导入。`, detail);

/**
 * Checks the raw round lists of a bundle against their schemas and against what the file says it
 * is: ids unique; a submission file carries exactly its receipt, its round, and only that unit's
 * work and no review decisions; a review file is a supervisor's, and its decisions all belong to
 * it (`bundle.review_not_trusted` otherwise). An ordinary bundle may hold decisions (a district's
 * backup keeps those it received): whether they count is the import's decision (rounds/importPlan.ts).
 */
export function checkRoundRecords(
  raw: Record<RoundListKind, readonly unknown[]>,
  manifest: RoundManifest,
  ctx: { taskIds: ReadonlySet<string>; workUnits: readonly string[] },
): Result<{ rounds: Round[]; submissions: Submission[]; reviews: ReviewDecision[] }> {
  if (raw.rounds.length > ROUND_LIMITS.rounds || raw.submissions.length > ROUND_LIMITS.submissions || raw.reviews.length > ROUND_LIMITS.reviews) {
    return refuse('bundle.too_large', '批注包中的填报轮次、报送记录或审核意见超过上限', 'rounds over limit');
  }
  const list = <T>(schema: z.ZodType<T>, kind: RoundListKind): Result<T[]> => {
    const out: T[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < raw[kind].length; i++) {
      const r = checkInPlace(schema, raw[kind][i], ROUND_FILES[kind], i);
      if (!r.ok) return r;
      const rid = (r.value as { id: string }).id;
      if (seen.has(rid)) return refuse('bundle.duplicate_id', `批注包中的 ${ROUND_FILES[kind]} 有重复的编号「${rid}」`, `${kind}: duplicate ${rid}`);
      seen.add(rid);
      out.push(r.value);
    }
    return ok(out);
  };
  const rounds = list(roundSchema, 'rounds');
  if (!rounds.ok) return rounds;
  const submissions = list(submissionSchema, 'submissions');
  if (!submissions.ok) return submissions;
  const reviews = list(reviewDecisionSchema, 'reviews');
  if (!reviews.ok) return reviews;
  for (const s of submissions.value) {
    const asked = (s.extensions ?? []).map((x) => x.taskId);
    if (new Set(asked).size !== asked.length) return refuse('bundle.duplicate_id', '报送记录中同一任务有两条延期申请', `submission ${s.id}: duplicate extension`);
  }
  const named = [...submissions.value.flatMap((s) => [...s.updatedTaskIds, ...(s.extensions ?? []).map((x) => x.taskId)]), ...reviews.value.map((d) => d.taskId)];
  for (const t of named) {
    if (!ctx.taskIds.has(t)) return refuse('bundle.unknown_task', `批注包中的报送或审核记录引用了试点方案中不存在的任务编号「${t}」`, `round records: ${t}`);
  }

  const m = manifest;
  const marker = m.round;
  if (m.kind === 'bundle' && marker) return refuse('bundle.invalid_manifest', '普通批注包不应带有报送或审核标记', 'kind bundle with round marker');
  if (m.kind !== 'bundle') {
    if (!marker) return refuse('bundle.invalid_manifest', '报送文件或审核文件缺少轮次标记', `kind ${m.kind} without round`);
    if (!rounds.value.some((r) => r.id === marker.roundId)) {
      return refuse('bundle.broken_reference', `文件标明的填报轮次「${marker.roundId}」不在文件中`, `round ${marker.roundId} missing`);
    }
  }
  if (m.kind === 'submission') {
    const s = submissions.value;
    const mine = s.length === 1 ? s[0]! : null;
    if (!mine || mine.id !== marker!.submissionId || mine.roundId !== marker!.roundId || mine.unitCode !== marker!.unitCode || mine.submittedAt !== m.createdAt) {
      return refuse('bundle.broken_reference', '报送文件中的报送记录与文件标记不一致', 'submission receipt ≠ marker');
    }
    if (ctx.workUnits.some((u) => u !== marker!.unitCode)) {
      return refuse('bundle.broken_reference', `报送文件中含有报送单位以外的单位的批注`, `submission of ${marker!.unitCode} carries ${ctx.workUnits.join(',')}`);
    }
  }
  if (m.kind === 'submission' && reviews.value.length > 0) {
    return refuse('bundle.review_not_trusted', '报送文件中不应含有审核意见', 'submission with review decisions');
  }
  if (m.kind === 'review') {
    if (m.role !== 'supervisor') {
      return refuse('bundle.review_not_trusted', '审核文件须由市级督办账户导出，这个文件标明的导出人不是市级督办', `review file by role ${m.role}`);
    }
    if (!marker!.reviewId) return refuse('bundle.invalid_manifest', '审核文件缺少审核编号', 'review without reviewId');
    for (const d of reviews.value) {
      if (d.reviewId !== marker!.reviewId || d.roundId !== marker!.roundId || d.unitCode !== marker!.unitCode || d.submissionId !== marker!.submissionId) {
        return refuse('bundle.broken_reference', `审核文件中任务 ${d.taskId} 的审核意见与文件标记不一致`, `decision ${d.id} ≠ marker`);
      }
    }
    if (reviews.value.length === 0) return refuse('bundle.broken_reference', '审核文件中没有任何审核意见', 'empty review');
  }
  return ok({ rounds: rounds.value, submissions: submissions.value, reviews: reviews.value });
}
