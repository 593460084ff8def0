/**
 * A report draft as it crosses a trust boundary: read from a backup, from a `.json` file the author
 * exported (导出草稿) and the command line renders (`report --draft`), or sent to main for export.
 * The strict zod schema is the record's truth for those readers; its rich text is checked by the
 * editor's own validator with the draft-only nodes allowed (`figure`, `reportBlock`).
 *
 * Also the revision record of a draft (`ReportDraftRevision`) and the versioned envelope of the
 * exported file (`DraftFile`).
 *
 * Pure: no node, electron or DOM imports.
 */
import { z } from 'zod';
import { STATUSES } from '../domain';
import { authorSchema, id, isoDate, noControl, NO_CONTROL_MESSAGE, timestamp, zhErrors } from '../records';
import { fail, ok, type Result } from '../result';
import { validateRichDoc, type RichDoc } from '../richtext';
import { DRAFT_SECTION_KEYS, type DraftSection, type GongwenForm, type ReportDraft } from './draft';

/** Bounds of a draft: a city body is 10–30 pages, so 400 000 characters a section is ample. */
export const DRAFT_LIMITS = {
  title: 200,
  line: 500,
  sectionChars: 400_000,
  /** Drafts and revisions a backup may carry. */
  drafts: 2_000,
  revisions: 50_000,
  /** Revisions kept per draft (the oldest go first). */
  revisionsPerDraft: 100,
} as const;

const line = (max: number = DRAFT_LIMITS.line) => z.string().max(max).refine(noControl, { message: NO_CONTROL_MESSAGE });

/** A section's rich text: the editor's validator, with the draft's figure and report-block nodes. */
const draftDocSchema = z.custom<RichDoc>().superRefine((value, ctx) => {
  const reason = validateRichDoc(value, DRAFT_LIMITS.sectionChars, { draft: true });
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

export const draftSectionSchema = z.strictObject({
  key: z.enum(DRAFT_SECTION_KEYS),
  title: line(100),
  doc: draftDocSchema,
  generated: z.string().regex(/^[0-9a-f]{64}$/),
}) satisfies z.ZodType<DraftSection>;

export const gongwenFormSchema = z.strictObject({
  recipients: line(),
  header: z.strictObject({ orgMark: line(100), docNumber: line(100), signer: line(100) }).nullable(),
  seal: z.boolean(),
  note: line(),
  copyTo: line(),
  printer: line(200),
  printDate: isoDate.nullable(),
}) satisfies z.ZodType<GongwenForm>;

export const reportDraftSchema = z
  .strictObject({
    id,
    kind: z.enum(['district', 'city']),
    title: line(DRAFT_LIMITS.title),
    scope: z.strictObject({
      unitCodes: z.array(z.string().max(20)).max(100),
      tables: z.array(z.number().int().min(1).max(5)).max(5),
      statuses: z.array(z.enum(STATUSES)).max(STATUSES.length),
    }),
    asOf: isoDate,
    issuer: line(200),
    signDate: isoDate,
    form: gongwenFormSchema,
    sections: z.array(draftSectionSchema).max(DRAFT_SECTION_KEYS.length),
    createdAt: timestamp,
    updatedAt: timestamp,
    updatedBy: authorSchema,
  })
  .refine((d) => new Set(d.sections.map((s) => s.key)).size === d.sections.length, { message: '草稿中有重复的章节' }) satisfies z.ZodType<ReportDraft>;

/**
 * One revision of a draft: the draft as it was at the end of a working session. Autosaves of one
 * session (same `session` token, the drafting screen's, within `COALESCE_MS` of its start) update
 * the session's revision instead of adding one, so the list reads at human pace.
 */
export interface ReportDraftRevision {
  id: string;
  draftId: string;
  /** The drafting screen's session that wrote it (autosaves of one session coalesce). */
  session: string;
  /** First and last save of the session. */
  startedAt: string;
  at: string;
  by: { name: string; unitCode: string };
  draft: ReportDraft;
}

export const reportDraftRevisionSchema = z.strictObject({
  id,
  draftId: id,
  session: z.string().max(100),
  startedAt: timestamp,
  at: timestamp,
  by: authorSchema,
  draft: reportDraftSchema,
}) satisfies z.ZodType<ReportDraftRevision>;

/** A session's autosaves coalesce into one revision for at most this long after its first save. */
export const COALESCE_MS = 30 * 60_000;

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `${path}：${issue.message}` : issue.message;
}

/** The drafts and revisions of a backup, checked (each revision's draft too); the first problem otherwise. */
export function checkDraftRecords(drafts: unknown, revisions: unknown): Result<{ drafts: ReportDraft[]; revisions: ReportDraftRevision[] }> {
  const bad = (what: string, detail: string) => fail('bundle.invalid_record', `备份中的报告草稿${what}，已拒绝读取。`, detail);
  if (!Array.isArray(drafts) || !Array.isArray(revisions)) return bad('格式不正确（应为记录列表）', 'not an array');
  if (drafts.length > DRAFT_LIMITS.drafts || revisions.length > DRAFT_LIMITS.revisions) return bad('数量超过上限', 'too many');
  const outDrafts: ReportDraft[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const r = reportDraftSchema.safeParse(drafts[i], { error: zhErrors });
    if (!r.success) return bad(`第 ${i + 1} 条无效（${issueText(r.error)}）`, `reportDrafts[${i}]`);
    outDrafts.push(r.data);
  }
  const ids = new Set(outDrafts.map((d) => d.id));
  if (ids.size !== outDrafts.length) return bad('编号重复', 'duplicate draft id');
  const outRevisions: ReportDraftRevision[] = [];
  const revIds = new Set<string>();
  for (let i = 0; i < revisions.length; i++) {
    const r = reportDraftRevisionSchema.safeParse(revisions[i], { error: zhErrors });
    if (!r.success) return bad(`的第 ${i + 1} 条修订无效（${issueText(r.error)}）`, `reportDraftRevisions[${i}]`);
    if (revIds.has(r.data.id)) return bad('修订编号重复', `duplicate revision ${r.data.id}`);
    if (r.data.draft.id !== r.data.draftId) return bad(`的第 ${i + 1} 条修订与其草稿不符`, `revision ${r.data.id}`);
    revIds.add(r.data.id);
    outRevisions.push(r.data);
  }
  return ok({ drafts: outDrafts, revisions: outRevisions });
}

// ---------------------------------------------------------------------------------------------
// The exported file (导出草稿 → `report --draft FILE.json`)

export const DRAFT_FILE_TYPE = 'pilot-desk-report-draft';
export const DRAFT_FILE_VERSION = 1;
/** A draft file larger than this is refused before it is parsed. */
export const MAX_DRAFT_FILE_BYTES = 16 * 1024 * 1024;

/** The envelope of an exported draft: type, version, the app that wrote it, the plan it counts. */
export interface DraftFile {
  type: typeof DRAFT_FILE_TYPE;
  version: number;
  appVersion: string;
  corpusHash: string;
  exportedAt: string;
  draft: ReportDraft;
}

const draftFileSchema = z.strictObject({
  type: z.literal(DRAFT_FILE_TYPE),
  version: z.number().int(),
  appVersion: z.string().max(50),
  corpusHash: z.string().regex(/^[0-9a-f]{64}$/),
  exportedAt: timestamp,
  draft: reportDraftSchema,
});

export function draftFile(draft: ReportDraft, meta: { appVersion: string; corpusHash: string; exportedAt: string }): DraftFile {
  return { type: DRAFT_FILE_TYPE, version: DRAFT_FILE_VERSION, ...meta, draft };
}

/**
 * Reads an exported draft file: untrusted bytes in, the checked draft or one Chinese reason out
 * (not JSON, not a draft file, a newer version, another plan, an invalid draft).
 */
export function parseDraftFile(bytes: Uint8Array, corpusHash: string): Result<DraftFile> {
  const bad = (why: string, detail = why) => fail('draft.invalid_file', `报告草稿文件无法使用：${why}`, detail);
  if (bytes.byteLength > MAX_DRAFT_FILE_BYTES) return bad(`文件超过 ${MAX_DRAFT_FILE_BYTES / 1024 / 1024} MB。`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return bad('不是有效的 JSON 文件。', String(e));
  }
  if (!json || typeof json !== 'object' || (json as { type?: unknown }).type !== DRAFT_FILE_TYPE) return bad('不是本软件导出的报告草稿（.json）。');
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && version > DRAFT_FILE_VERSION) return bad(`由更新版本的软件导出（版本 ${version}），请升级本软件。`);
  const r = draftFileSchema.safeParse(json, { error: zhErrors });
  if (!r.success) return bad(`内容无效（${issueText(r.error)}）。`, JSON.stringify(r.error.issues[0]?.path));
  if (r.data.corpusHash !== corpusHash) return bad('它依据的试点方案版本与本软件的不同。', `corpus ${r.data.corpusHash}`);
  return ok(r.data as DraftFile);
}
