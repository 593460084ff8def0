/**
 * Report drafts (报告起草) in the database: the rules of their reads and writes. Each write checks
 * the draft against the strict schema of src-main/shared/report/draftSchema.ts (rich text with the
 * draft-only nodes included) before anything is written, and writes the draft and its revision in
 * one transaction. The UI calls these through `writes.ts` (settle, write, one `DataChange`).
 *
 * Revisions at human pace: the drafting screen saves every pause in typing, but one working session
 * (its `session` token, for at most `COALESCE_MS` after the session's first save) is one revision —
 * each save updates it. A draft keeps its last `DRAFT_LIMITS.revisionsPerDraft` revisions.
 */
import Dexie from 'dexie';
import type { Author } from '../../../src-main/shared/domain';
import type { ReportDraft } from '../../../src-main/shared/report/draft';
import { COALESCE_MS, DRAFT_LIMITS, reportDraftSchema, type ReportDraftRevision } from '../../../src-main/shared/report/draftSchema';
import { zhErrors } from '../../../src-main/shared/records';
import { fail, ok, type Result } from '../../../src-main/shared/result';
import type { PilotDb } from './db';

const newId = (): string => crypto.randomUUID();

/** A timestamp not earlier than `after` (a clock set back must not reorder a draft's history). */
function stamp(now: Date, after?: string): string {
  const at = now.toISOString();
  return after && at <= after ? new Date(Date.parse(after) + 1).toISOString() : at;
}

function checked(draft: unknown): Result<ReportDraft> {
  const r = reportDraftSchema.safeParse(draft, { error: zhErrors });
  if (r.success) return ok(r.data);
  const issue = r.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  return fail('draft.invalid', `报告草稿无法保存：${where ? `${where}：` : ''}${issue.message}`, JSON.stringify(issue.path));
}

async function storage<T>(what: string, work: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await work();
  } catch (e) {
    const err = e as Error;
    const isStorage = e instanceof Dexie.DexieError || (typeof DOMException !== 'undefined' && e instanceof DOMException);
    if (!isStorage) throw e;
    if (err.name === 'QuotaExceededError' || (err as { inner?: Error }).inner?.name === 'QuotaExceededError') {
      return fail('db.quota', `${what}失败：磁盘空间不足。请清理磁盘空间后重试，已输入的内容不会丢失。`, `${err.name}: ${err.message}`);
    }
    return fail('db.write_failed', `${what}失败：本地数据库写入出错，请重试。`, `${err.name}: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Every draft, the most recently changed first. */
export async function listDrafts(db: PilotDb): Promise<ReportDraft[]> {
  return (await db.reportDrafts.orderBy('updatedAt').reverse().toArray());
}

export function readDraft(db: PilotDb, id: string): Promise<ReportDraft | undefined> {
  return db.reportDrafts.get(id);
}

/** A draft's revisions, oldest first. */
export function listDraftRevisions(db: PilotDb, draftId: string): Promise<ReportDraftRevision[]> {
  return db.reportDraftRevisions.where('[draftId+at]').between([draftId, Dexie.minKey], [draftId, Dexie.maxKey]).toArray();
}

// ---------------------------------------------------------------------------------------------
// Writes

/** What a new draft is made of: everything but its id and times. */
export type NewDraft = Omit<ReportDraft, 'id' | 'createdAt' | 'updatedAt' | 'updatedBy'>;

export interface SaveOptions {
  /** The drafting screen's session: its saves coalesce into one revision. */
  session: string;
  now?: Date;
}

/** Writes `draft` and its session's revision (a new one, or the session's updated). */
async function writeWithRevision(db: PilotDb, draft: ReportDraft, author: Author, opts: SaveOptions): Promise<ReportDraftRevision> {
  const revisions = await listDraftRevisions(db, draft.id);
  const last = revisions[revisions.length - 1];
  const by = { name: author.name, unitCode: author.unitCode };
  const sameSession =
    last && last.session === opts.session && last.by.name === by.name && Date.parse(draft.updatedAt) - Date.parse(last.startedAt) < COALESCE_MS;
  const revision: ReportDraftRevision = sameSession
    ? { ...last, at: draft.updatedAt, draft }
    : { id: newId(), draftId: draft.id, session: opts.session, startedAt: draft.updatedAt, at: draft.updatedAt, by, draft };
  await db.reportDrafts.put(draft);
  await db.reportDraftRevisions.put(revision);
  const total = revisions.length + (sameSession ? 0 : 1);
  if (total > DRAFT_LIMITS.revisionsPerDraft) {
    await db.reportDraftRevisions.bulkDelete(revisions.slice(0, total - DRAFT_LIMITS.revisionsPerDraft).map((r) => r.id));
  }
  return revision;
}

/** A new draft (checked first: an invalid one writes nothing), with its first revision. */
export function createDraft(db: PilotDb, input: NewDraft, author: Author, opts: SaveOptions): Promise<Result<ReportDraft>> {
  return storage('新建报告草稿', async () => {
    const at = stamp(opts.now ?? new Date());
    const draft = checked({ ...input, id: newId(), createdAt: at, updatedAt: at, updatedBy: { name: author.name, unitCode: author.unitCode } });
    if (!draft.ok) return draft;
    await db.transaction('rw', db.reportDrafts, db.reportDraftRevisions, () => writeWithRevision(db, draft.value, author, opts));
    return ok(draft.value);
  });
}

/**
 * Saves a draft the author changed (sections, 公文 fields, title …). Refused, writing nothing, when
 * it is invalid or was deleted meanwhile; `createdAt` stays the stored one.
 */
export function saveDraft(db: PilotDb, draft: ReportDraft, author: Author, opts: SaveOptions): Promise<Result<ReportDraft>> {
  return storage('保存报告草稿', () =>
    db.transaction('rw', db.reportDrafts, db.reportDraftRevisions, async () => {
      const stored = await db.reportDrafts.get(draft.id);
      if (!stored) return fail('draft.not_found', '这份报告草稿已被删除，无法保存。');
      const next = checked({ ...draft, createdAt: stored.createdAt, updatedAt: stamp(opts.now ?? new Date(), stored.updatedAt), updatedBy: { name: author.name, unitCode: author.unitCode } });
      if (!next.ok) return next;
      await writeWithRevision(db, next.value, author, opts);
      return ok(next.value);
    }),
  );
}

/** Renames a draft (a blank title is refused). */
export async function renameDraft(db: PilotDb, id: string, title: string, author: Author, opts: SaveOptions): Promise<Result<ReportDraft>> {
  const t = title.trim();
  if (!t) return fail('draft.title_blank', '草稿标题不能为空。');
  const stored = await db.reportDrafts.get(id);
  if (!stored) return fail('draft.not_found', '这份报告草稿已被删除。');
  return saveDraft(db, { ...stored, title: t }, author, opts);
}

/** What deleting a draft took away: enough to put it back exactly (撤销). */
export interface DeletedDraft {
  draft: ReportDraft;
  revisions: ReportDraftRevision[];
}

/** Deletes a draft and its revisions; returns them for an undo. */
export function deleteDraft(db: PilotDb, id: string): Promise<Result<DeletedDraft>> {
  return storage('删除报告草稿', () =>
    db.transaction('rw', db.reportDrafts, db.reportDraftRevisions, async () => {
      const draft = await db.reportDrafts.get(id);
      if (!draft) return fail('draft.not_found', '这份报告草稿已被删除。');
      const revisions = await listDraftRevisions(db, id);
      await db.reportDraftRevisions.bulkDelete(revisions.map((r) => r.id));
      await db.reportDrafts.delete(id);
      return ok({ draft, revisions });
    }),
  );
}

/** Puts a deleted draft back as it was (the undo of `deleteDraft`); refused if its id is in use again. */
export function undeleteDraft(db: PilotDb, deleted: DeletedDraft): Promise<Result<ReportDraft>> {
  return storage('恢复报告草稿', () =>
    db.transaction('rw', db.reportDrafts, db.reportDraftRevisions, async () => {
      const draft = checked(deleted.draft);
      if (!draft.ok) return draft;
      if (await db.reportDrafts.get(draft.value.id)) return fail('draft.exists', '这份报告草稿已经存在。');
      await db.reportDrafts.add(draft.value);
      await db.reportDraftRevisions.bulkPut(deleted.revisions);
      return ok(draft.value);
    }),
  );
}
