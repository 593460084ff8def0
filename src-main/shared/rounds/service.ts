/**
 * The 督办 loop over a store (store/types.ts): define a round, make a district's submission file and
 * keep its receipt, record a supervisor's decisions, issue the review file. The app runs it over its
 * IndexedDB database (through its one write path), tests and the CLI over a memory store. Expected
 * failures are values with a Chinese message.
 */
import type { Author } from '../domain';
import type { Corpus } from '../corpus/types';
import { selectForExport, writeBundle } from '../bundle/write';
import { fail, ok, type Result } from '../result';
import { readAllRecords } from '../services/exportService';
import type { ImportStore } from '../store/types';
import { extensionDecisionId, latestSubmission, roundTaskIds, submissionDigest, updatedSince, validateExtensionRequest, validateRound } from './model';
import { isExtensionDecision, type ReviewDecisionKind } from './kinds';
import type { ExtensionRequest, ReviewDecision, Round, Submission } from './schema';

export interface RoundInput {
  name: string;
  unitCodes: string[];
  tables: number[];
  dueDate: string;
}

/** Saves a new round (or an edit of one: same id, a later `updatedAt`). */
export async function saveRound(store: ImportStore, input: RoundInput & { id: string }, author: Author, now: Date = new Date()): Promise<Result<Round>> {
  const old = await store.rounds.get(input.id);
  const at = now.toISOString();
  const errors = validateRound({ ...input, opensAt: old?.opensAt ?? at });
  const first = Object.values(errors)[0];
  if (first) return fail('round.invalid', first);
  const stamp = old && at <= old.updatedAt ? new Date(Date.parse(old.updatedAt) + 1).toISOString() : at;
  const round: Round = {
    id: input.id,
    name: input.name.trim(),
    unitCodes: [...new Set(input.unitCodes)],
    tables: [...new Set(input.tables)].sort((a, b) => a - b),
    opensAt: old?.opensAt ?? at,
    dueDate: input.dueDate,
    createdBy: old?.createdBy ?? { name: author.name, unitCode: author.unitCode },
    createdAt: old?.createdAt ?? at,
    updatedAt: stamp,
  };
  await store.rounds.put(round);
  return ok(round);
}

export interface FileContext {
  author: Author;
  appVersion: string;
  corpus: Pick<Corpus, 'hash' | 'tasks'>;
  now?: Date;
  newId?: () => string;
}

/**
 * The submission file (报送) of `unitCode` for a round: the unit's records, the round, and the
 * receipt (who, when, which tasks were updated since the round opened). Writes nothing: the caller
 * saves the file and then keeps the receipt (`recordSubmission`), so a cancelled save records no 报送.
 */
export async function buildSubmission(
  store: ImportStore,
  roundId: string,
  unitCode: string,
  ctx: FileContext & { extensions?: readonly ExtensionRequest[] },
): Promise<Result<{ bytes: Uint8Array; receipt: Submission }>> {
  const round = await store.rounds.get(roundId);
  if (!round) return fail('round.not_found', '找不到这个填报轮次。');
  if (!round.unitCodes.includes(unitCode)) return fail('round.not_required', `填报轮次「${round.name}」不要求本单位报送。`);
  const extensions = [...(ctx.extensions ?? [])].sort((a, b) => (a.taskId < b.taskId ? -1 : 1));
  const inRoundTasks = new Set(roundTaskIds(round, ctx.corpus.tasks));
  for (const x of extensions) {
    if (!inRoundTasks.has(x.taskId)) return fail('round.extension_task', `任务 ${x.taskId} 不在本轮次的任务表中，不能在本轮申请延期。`);
    const problem = validateExtensionRequest(x);
    if (problem) return fail('round.extension_invalid', `任务 ${x.taskId} 的延期申请：${problem}。`);
  }
  if (new Set(extensions.map((x) => x.taskId)).size !== extensions.length) return fail('round.extension_invalid', '同一任务只能有一条延期申请。');
  const { files, ...records } = await readAllRecords(store, { share: true, ...(ctx.now ? { now: ctx.now } : {}) });
  const attachments = await store.attachments.bytes(files);
  const selected = selectForExport({ ...records, attachments }, { scope: 'units', unitCodes: [unitCode] });
  if (!selected.ok) return selected;
  const now = ctx.now ?? new Date();
  const inRound = new Set(roundTaskIds(round, ctx.corpus.tasks));
  const updated = selected.value.annotations.filter((a) => inRound.has(a.taskId) && updatedSince(a, round.opensAt)).map((a) => a.taskId);
  const receipt: Submission = {
    id: (ctx.newId ?? (() => crypto.randomUUID()))(),
    roundId,
    unitCode,
    author: { name: ctx.author.name, unitCode: ctx.author.unitCode },
    submittedAt: now.toISOString(),
    updatedTaskIds: [...new Set(updated)].sort(),
    digest: submissionDigest(selected.value.annotations),
    ...(extensions.length ? { extensions: extensions.map((x) => ({ taskId: x.taskId, from: x.from, to: x.to, reason: x.reason.trim() })) } : {}),
  };
  const bytes = writeBundle({
    ...selected.value,
    rounds: [round],
    submissions: [receipt],
    reviews: [],
    manifest: {
      appVersion: ctx.appVersion,
      corpusHash: ctx.corpus.hash,
      author: ctx.author,
      createdAt: receipt.submittedAt,
      scope: 'units',
      kind: 'submission',
      role: 'official',
      round: { roundId, unitCode, submissionId: receipt.id },
    },
  });
  return ok({ bytes, receipt });
}

/** Keeps the receipt of a submission file that was saved. */
export async function recordSubmission(store: ImportStore, receipt: Submission): Promise<void> {
  await store.submissions.put(receipt);
}

/** The id of the decision on one task of one submission (a draft changed again keeps its id). */
export const decisionId = (submissionId: string, taskId: string): string => `d-${submissionId}-${taskId}`;

/**
 * Records (or changes) the supervisor's draft decision on a task of a unit's latest submission.
 * An issued decision is final: a new decision needs a new submission.
 */
export async function recordDecision(
  store: ImportStore,
  input: { roundId: string; unitCode: string; taskId: string; decision: ReviewDecisionKind; comment: string },
  by: Author,
  now: Date = new Date(),
): Promise<Result<ReviewDecision>> {
  const latest = latestSubmission(await store.submissions.toArray(), input.roundId, input.unitCode);
  if (!latest) return fail('review.no_submission', '该单位尚未报送，无法审核。');
  if (input.decision === 'return' && input.comment.trim() === '') return fail('review.comment_required', '退回补充须写明需要补充的内容。');
  if (input.comment.length > 2_000) return fail('review.comment_too_long', '审核意见不超过 2000 字。');
  const asked = latest.extensions?.find((x) => x.taskId === input.taskId);
  const extension = isExtensionDecision(input.decision);
  if (extension && !asked) return fail('review.no_extension', `该单位最近一次报送没有申请任务 ${input.taskId} 延期。`);
  if (input.decision === 'refuse_extension' && input.comment.trim() === '') return fail('review.comment_required', '不同意延期须写明理由。');
  const id = extension ? extensionDecisionId(latest.id, input.taskId) : decisionId(latest.id, input.taskId);
  const old = await store.reviews.get(id);
  if (old?.reviewId) return fail('review.issued', '这条审核意见已随审核文件发出，不能再修改；单位重新报送后可再次审核。');
  const d: ReviewDecision = {
    id,
    roundId: input.roundId,
    unitCode: input.unitCode,
    taskId: input.taskId,
    submissionId: latest.id,
    decision: input.decision,
    comment: input.comment.trim(),
    by: { name: by.name, unitCode: by.unitCode },
    at: now.toISOString(),
    reviewId: null,
    ...(extension && asked ? { extension: { from: asked.from, to: asked.to } } : {}),
  };
  await store.reviews.put(d);
  return ok(d);
}

/**
 * The review file (审核) of a unit's latest submission: every draft decision on it, stamped with the
 * file's review id. Trusted by the recipient only because the manifest says `role: 'supervisor'`
 * (signing comes later). Writes nothing: the caller saves the file, then `issueReview` stamps the drafts.
 */
export async function buildReview(store: ImportStore, roundId: string, unitCode: string, ctx: FileContext): Promise<Result<{ bytes: Uint8Array; decisions: ReviewDecision[] }>> {
  const round = await store.rounds.get(roundId);
  if (!round) return fail('round.not_found', '找不到这个填报轮次。');
  const latest = latestSubmission(await store.submissions.toArray(), roundId, unitCode);
  if (!latest) return fail('review.no_submission', '该单位尚未报送，无法审核。');
  const drafts = (await store.reviews.toArray()).filter((d) => d.submissionId === latest.id && d.reviewId === null);
  if (drafts.length === 0) return fail('review.nothing', '还没有对这次报送作出任何审核意见。');
  const now = ctx.now ?? new Date();
  const reviewId = (ctx.newId ?? (() => crypto.randomUUID()))();
  const decisions = drafts.map((d) => ({ ...d, reviewId }));
  const bytes = writeBundle({
    units: [],
    annotations: [],
    revisions: [],
    logEntries: [],
    evidence: [],
    attachments: new Map(),
    rounds: [round],
    submissions: [latest],
    reviews: decisions,
    manifest: {
      appVersion: ctx.appVersion,
      corpusHash: ctx.corpus.hash,
      author: ctx.author,
      createdAt: now.toISOString(),
      scope: 'all',
      kind: 'review',
      role: 'supervisor',
      round: { roundId, unitCode, submissionId: latest.id, reviewId },
    },
  });
  return ok({ bytes, decisions });
}

/** Marks the decisions of a saved review file as issued. */
export async function issueReview(store: ImportStore, decisions: readonly ReviewDecision[]): Promise<void> {
  await store.reviews.bulkPut(decisions);
}
