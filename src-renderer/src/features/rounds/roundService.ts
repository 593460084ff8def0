/**
 * The 督办 loop in the app: the shared round service (src-main/shared/rounds/service.ts) over the
 * app's database, each write through the one write path (`mutate`: pending edits saved first, one
 * `round` change announced). Files go through the save dialog; a receipt or an issued review is
 * recorded only once its file was saved, so a cancelled dialog records nothing.
 */
import type { Author } from '../../../../src-main/shared/domain';
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import { ok, type Result } from '../../../../src-main/shared/result';
import type { SaveOutcome } from '../../../../src-main/shared/ipc-contract';
import * as shared from '../../../../src-main/shared/rounds/service';
import type { ExtensionRequest, ReviewDecision, ReviewDecisionKind, Round, Submission } from '../../../../src-main/shared/rounds/schema';
import type { PilotDb } from '../../db/db';
import { dexieStore } from '../../db/dexieStore';
import { mutate } from '../../db/mutate';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { applyImport, bundleSha256, prepareImport, type PreviewPlan } from '../bundles/bundleService';

/** Saves bytes under a suggested name (the app: the save dialog through `file:save`). */
export type SaveFile = (bytes: Uint8Array, defaultName: string) => Promise<Result<SaveOutcome>>;

export interface FileEnv {
  author: Author;
  appVersion: string;
  corpus: Pick<Corpus, 'hash' | 'tasks'>;
  save: SaveFile;
  now?: Date;
  /** 延期申请 to send with a 报送. */
  extensions?: readonly ExtensionRequest[];
}

// Reads ----------------------------------------------------------------------------------------

export const listRounds = (db: PilotDb): Promise<Round[]> => db.rounds.orderBy('dueDate').reverse().toArray();
export const listSubmissions = (db: PilotDb, roundId?: string): Promise<Submission[]> =>
  roundId ? db.submissions.filter((s) => s.roundId === roundId).toArray() : db.submissions.toArray();
export const decisionsOfRound = (db: PilotDb, roundId: string, unitCode: string): Promise<ReviewDecision[]> =>
  db.reviews.where('[roundId+unitCode]').equals([roundId, unitCode]).toArray();
export const decisionsOfTask = (db: PilotDb, taskId: string, unitCode: string): Promise<ReviewDecision[]> =>
  db.reviews.where('[taskId+unitCode]').equals([taskId, unitCode]).toArray();
/** Every issued decision of a unit (for the badges of its task list). */
export const issuedDecisionsOfUnit = (db: PilotDb, unitCode: string): Promise<ReviewDecision[]> =>
  db.reviews.filter((d) => d.unitCode === unitCode && d.reviewId !== null).toArray();

// Writes ---------------------------------------------------------------------------------------

/** Defines (or edits) a round. */
export function saveRound(db: PilotDb, input: shared.RoundInput & { id: string }, author: Author, now?: Date): Promise<Result<Round>> {
  return mutate('round', () => shared.saveRound(dexieStore(db), input, author, now), (r) => (r.ok ? { action: 'saved' as const, id: r.value.id } : null));
}

/**
 * 报送: makes the submission file, asks where to save it and, once saved, keeps the receipt.
 * Canceled: `null`, nothing recorded.
 */
export function submit(db: PilotDb, round: Round, unitCode: string, unitName: string, env: FileEnv): Promise<Result<{ receipt: Submission; path: string } | null>> {
  return mutate(
    'round',
    async () => {
      const store = dexieStore(db);
      const built = await shared.buildSubmission(store, round.id, unitCode, { ...env, ...(env.now ? { now: env.now } : {}) });
      if (!built.ok) return built;
      const saved = await env.save(built.value.bytes, `报送-${round.name}-${unitName}.pilotbundle`);
      if (!saved.ok) return saved;
      if (saved.value.canceled) return ok(null);
      await shared.recordSubmission(store, built.value.receipt);
      return ok({ receipt: built.value.receipt, path: saved.value.path });
    },
    (r) => (r.ok && r.value ? { action: 'submitted' as const, id: r.value.receipt.id } : null),
  );
}

/** Records the supervisor's (draft) decision on one task of a unit's latest submission. */
export function decide(
  db: PilotDb,
  input: { roundId: string; unitCode: string; taskId: string; decision: ReviewDecisionKind; comment: string },
  by: Author,
  now?: Date,
): Promise<Result<ReviewDecision>> {
  return mutate('round', () => shared.recordDecision(dexieStore(db), input, by, now), (r) => (r.ok ? { action: 'decided' as const, id: input.roundId } : null));
}

/**
 * Issues the review file of a unit's latest submission: every draft decision, saved where the
 * person chooses; once saved, the decisions are marked issued. Canceled: `null`.
 */
export function issueReview(db: PilotDb, round: Round, unitCode: string, unitName: string, env: FileEnv): Promise<Result<{ decisions: ReviewDecision[]; path: string } | null>> {
  return mutate(
    'round',
    async () => {
      const store = dexieStore(db);
      const built = await shared.buildReview(store, round.id, unitCode, env);
      if (!built.ok) return built;
      const saved = await env.save(built.value.bytes, `审核意见-${round.name}-${unitName}.pilotbundle`);
      if (!saved.ok) return saved;
      if (saved.value.canceled) return ok(null);
      await shared.issueReview(store, built.value.decisions);
      return ok({ decisions: built.value.decisions, path: saved.value.path });
    },
    (r) => (r.ok && r.value ? { action: 'issued' as const, id: round.id } : null),
  );
}

// Several submission files at once -------------------------------------------------------------

/** One chosen file in the combined preview: ready to import, or why not. */
export interface SubmissionFileRow {
  fileName: string;
  /** The verified submission and its import plan (absent when refused). */
  plan?: PreviewPlan;
  sha256?: string;
  receipt?: Submission;
  /** Why this file is not imported (refused, not a submission, already here, or conflicts to decide in 批注包). */
  problem?: string;
  /** Already imported here (by its content). */
  present?: boolean;
  /** The code of `problem` (e.g. `round.not_submission`: a file of another kind). */
  problemCode?: string;
}

/**
 * Verifies and previews every chosen file (`verify`: the worker in the app). Writes nothing. A file
 * that is not a submission, fails its checks, or would need conflict decisions is listed with the
 * reason and left out of the import; the others import one by one, each all or nothing.
 */
export async function previewSubmissionFiles(
  db: PilotDb,
  files: readonly { name: string; bytes: Uint8Array }[],
  verify: (bytes: Uint8Array) => Promise<Result<BundleContent>>,
  /** The kind of file taken: 报送 files (the supervisor), or review files (a district, from the exchange folder). */
  accept: 'submission' | 'review' = 'submission',
  /** Only files for this unit (a district collecting from a folder that every unit shares). */
  forUnit?: string,
): Promise<SubmissionFileRow[]> {
  const rows: SubmissionFileRow[] = [];
  const wrongKind =
    accept === 'submission'
      ? { code: 'round.not_submission', message: '这个文件不是报送文件（请在“批注包”中导入普通批注包或审核文件）。' }
      : { code: 'round.not_review', message: '这个文件不是审核文件（请在“批注包”中导入普通批注包）。' };
  for (const f of files) {
    const prepared = await prepareImport(db, f.bytes, async (bytes) => {
      const v = await verify(bytes);
      if (v.ok && v.value.manifest.kind !== accept) return { ok: false, error: wrongKind };
      if (v.ok && forUnit !== undefined && v.value.manifest.round?.unitCode !== forUnit) {
        return { ok: false, error: { code: 'round.other_unit', message: '这个文件是发给其他单位的。' } };
      }
      return v;
    });
    if (!prepared.ok) rows.push({ fileName: f.name, problem: prepared.error.message, problemCode: prepared.error.code, sha256: await bundleSha256(f.bytes) });
    else if (prepared.value.kind === 'present') rows.push({ fileName: f.name, sha256: prepared.value.sha256, present: true, problem: '这个文件已经导入过。' });
    else {
      const plan = prepared.value.plan;
      const receipt = plan.rounds?.newSubmissions[0] ?? undefined;
      const conflicts = plan.counts.total.conflicts;
      rows.push({ fileName: f.name, plan, sha256: prepared.value.sha256, ...(receipt ? { receipt } : {}), ...(conflicts ? { problem: `有 ${conflicts} 条批注与本机冲突，请在“批注包”中单独导入并逐项决定。` } : {}) });
    }
  }
  return rows;
}

/** Imports the rows without a problem, one transaction each; returns each row's outcome. */
export async function applySubmissionFiles(db: PilotDb, rows: readonly SubmissionFileRow[], author: Author): Promise<{ fileName: string; result: Result<unknown> }[]> {
  const out: { fileName: string; result: Result<unknown> }[] = [];
  for (const r of rows) {
    if (r.problem || !r.plan) continue;
    out.push({ fileName: r.fileName, result: await applyImport(db, r.plan, {}, { author, fileName: r.fileName, ...(r.sha256 ? { bundleSha256: r.sha256 } : {}) }) });
  }
  return out;
}
