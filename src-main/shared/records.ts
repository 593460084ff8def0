/**
 * The shape of every stored record — annotation fields, annotations, revisions, log entries,
 * evidence, units, authors — written once, as strict zod schemas. The TypeScript types are inferred
 * from them (domain.ts re-exports the types, so importing it pulls in no zod). The field list,
 * FIELD_NAMES in domain.ts, is the keys of FIELD_LABELS, a map the compiler holds to exactly these
 * fields; every other place that handles each field by hand is typed exhaustively over `FieldName`
 * too, so a field added here does not compile until each of them handles it.
 *
 * Bundles are untrusted: unknown keys are refused, every string is bounded, dates and timestamps
 * are checked, and rich text must fit the editor's schema. The form (src-renderer's repo) checks
 * with the same schemas, so what the app saves always fits in a bundle.
 */
import { z } from 'zod';
import { EVIDENCE_KINDS, FIELD_NAMES, MAX_ATTACHMENT_BYTES, STATUSES, TASK_ID_PATTERN, UNIT_CODE_PATTERN, annotationKey, isIsoDate, validateFields } from './domain';

export { TASK_ID_PATTERN } from './domain';
import { validateRichDoc, type RichDoc } from './richtext';

// ---------------------------------------------------------------------------------------------
// Bounds and patterns

export const LIMITS = {
  name: 200,
  id: 100,
  text: 20_000,
  unitName: 100,
  fileName: 255,
  mime: 200,
  appVersion: 50,
  docNumber: 100,
  unitsPerField: 50,
  /** Records per list (JSON part sizes bound them too). */
  units: 1_000,
  annotations: 200_000,
  revisions: 2_000_000,
  logEntries: 1_000_000,
  evidence: 500_000,
  manifestEntries: 5_000,
} as const;

/** Revision, log entry and evidence ids: UUIDs, merge ids (`m-…`) or similar. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const HEX64 = /^[0-9a-f]{64}$/;

/** No control characters except tab, line feed and carriage return. */
export const noControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
};
export const NO_CONTROL_MESSAGE = '含有不允许的控制字符';

/** zod's own messages in Chinese, for the issues the schemas do not word themselves. */
export const zhErrors = z.locales.zhCN().localeError;

// ---------------------------------------------------------------------------------------------
// Building blocks

/** UTC ISO timestamp with milliseconds (`Date#toISOString`): one format, so text order is time order. */
export const timestamp = z.iso.datetime({ precision: 3 });
export const isoDate = z.string().refine(isIsoDate, { message: '日期须为有效日期（如 2024-06-30）' });
export const id = z.string().min(1).max(LIMITS.id).regex(ID_PATTERN);
export const unitCode = z.string().regex(UNIT_CODE_PATTERN);
export const taskId = z.string().max(LIMITS.id).regex(TASK_ID_PATTERN);
const text = z.string().max(LIMITS.text).refine(noControl, { message: NO_CONTROL_MESSAGE });
/** A bounded one-line label that is not blank. */
export const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine(noControl, { message: NO_CONTROL_MESSAGE })
    .refine((s) => s.trim() !== '', { message: '不能为空' });

/** Rich text: checked by the editor's own validator (node types, marks, safe links, depth, size). */
export const richDocSchema = z.custom<RichDoc>().superRefine((value, ctx) => {
  const reason = validateRichDoc(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

/** Who did something: the person's name and unit code, as in their profile. */
export const authorSchema = z.strictObject({
  name: nonBlank(LIMITS.name),
  unitCode,
});
export type Author = z.infer<typeof authorSchema>;

/** A unit that annotates tasks: a district (GB/T 2260 code), 江北新区, or the city departments. */
export const unitSchema = z.strictObject({
  /** Stable code; never reused. Districts use their GB/T 2260 code. */
  code: unitCode,
  name: nonBlank(LIMITS.name),
  kind: z.enum(['district', 'zone', 'city']),
  /** Sort order in lists and reports. */
  order: z.int().min(0).max(1_000_000),
  /** Inactive units stay in the data (their annotations are kept) but are hidden from pickers. */
  active: z.boolean(),
});
export type Unit = z.infer<typeof unitSchema>;

// ---------------------------------------------------------------------------------------------
// Annotation fields

const unitList = z.array(nonBlank(LIMITS.unitName)).max(LIMITS.unitsPerField, { message: `最多 ${LIMITS.unitsPerField} 个单位` });

/** A case write-up (典型案例): plain text parts, one per heading of the case collection. */
export const caseStudySchema = z.strictObject({
  /** 案例名称 */
  name: text,
  /** 所属领域 */
  field: text,
  /** 主要做法 */
  approach: text,
  /** 取得成效 */
  results: text,
  /** 复制推广价值 (how widely it can be replicated) */
  replicability: text,
});
export type CaseStudy = z.infer<typeof caseStudySchema>;

/** The fields of an annotation that a person edits and that revisions record in full. */
export const fieldsShape = {
  status: z.enum(STATUSES),
  /** Whole percent, 0–100. */
  progress: z.int().min(0).max(100),
  /** 牵头单位, one entry per unit. */
  leadUnits: unitList,
  /** 配合单位 */
  partnerUnits: unitList,
  /** 完成时限, ISO date, not before the plan's date (2022-12-29); null when not set. */
  deadline: isoDate.nullable(),
  /** 推进情况 (rich text) */
  progressNotes: richDocSchema,
  /** 量化成效 */
  results: text,
  /** 存在问题 */
  problems: text,
  /** 下步计划 */
  nextSteps: text,
  /** 制度创新成果 */
  isInnovation: z.boolean(),
  /** 最佳实践案例 */
  isBestPractice: z.boolean(),
  /**
   * 典型案例 write-up, for tasks flagged 制度创新成果 or 最佳实践案例. Absent (older data, v1
   * bundles, revisions written before the field existed) reads as null: use `caseStudyOf`.
   * Canonical form (bundles, merge ids): the key is left out when null, so older revisions hash
   * exactly as before.
   */
  caseStudy: caseStudySchema.nullable().optional(),
};

/**
 * The fields without the app's rules, unknown keys ignored: what the form checks (its input may
 * come from a draft journal or an older build; only the known fields are ever stored).
 */
export const formFieldsSchema = z.object(fieldsShape);
export type AnnotationFields = z.infer<typeof formFieldsSchema>;
export type FieldName = keyof typeof fieldsShape & keyof AnnotationFields;

/** The app's own field rules (deadline not before the plan, units not blank …), as issues. */
function refineFields(f: AnnotationFields, ctx: z.RefinementCtx, prefix: (string | number)[]) {
  const errors = validateFields(f);
  for (const [field, message] of Object.entries(errors)) ctx.addIssue({ code: 'custom', message, path: [...prefix, field] });
}

/** The fields with the app's rules: what a revision carries and an edited conflict must meet. */
export const annotationFieldsSchema = z.strictObject(fieldsShape).superRefine((f, ctx) => refineFields(f, ctx, []));

/** The schema of one field's value (for edited values in conflict resolution). */
export const fieldValueSchemas: { readonly [F in FieldName]: z.ZodType<AnnotationFields[F]> } = fieldsShape;

// ---------------------------------------------------------------------------------------------
// Records

function checkKey(r: { key: string; taskId: string; unitCode: string }, ctx: z.RefinementCtx) {
  if (r.key !== annotationKey(r.taskId, r.unitCode)) ctx.addIssue({ code: 'custom', message: 'key 与任务编号、单位代码不一致', path: ['key'] });
}

/**
 * The current state of one task in one unit. Invariant: equals the fields of revision `head`;
 * it is never changed without writing that revision first (in the same transaction).
 */
export const annotationSchema = z
  .strictObject({
    ...fieldsShape,
    /** `${taskId}|${unitCode}` */
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    /** Id of the revision these fields come from. */
    head: id,
    updatedAt: timestamp,
    updatedBy: authorSchema,
  })
  .superRefine((a, ctx) => {
    checkKey(a, ctx);
    refineFields(a, ctx, []);
  });
export type Annotation = z.infer<typeof annotationSchema>;

/**
 * `check` (本月已核实, since bundle format 3): the person looked at the task and confirmed it as it
 * stands — the fields are the parent's (for a first revision: the empty form, so "未启动, checked"
 * is recordable). It changes no field; it records who checked and when, and travels like any edit.
 */
export const REVISION_KINDS = ['edit', 'restore', 'merge', 'check'] as const;

/**
 * One save of an annotation: append-only, never changed. `parents` is the ancestry merge uses:
 * empty for the first revision, one parent for an edit, two for a merge of divergent histories.
 */
export const revisionSchema = z
  .strictObject({
    /** Globally unique (UUID). */
    id,
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    parents: z.array(id).max(2),
    author: authorSchema,
    /** ISO timestamp. */
    at: timestamp,
    kind: z.enum(REVISION_KINDS),
    /** Fields that differ from the first parent (all fields for a first revision). */
    changed: z.array(z.enum(FIELD_NAMES)).max(FIELD_NAMES.length),
    fields: annotationFieldsSchema,
    /** For `restore`: the revision whose fields were restored. */
    restoredFrom: id.optional(),
  })
  .superRefine((r, ctx) => {
    checkKey(r, ctx);
    if (new Set(r.parents).size !== r.parents.length || r.parents.includes(r.id)) {
      ctx.addIssue({ code: 'custom', message: '父修订重复或指向自身', path: ['parents'] });
    }
    if (new Set(r.changed).size !== r.changed.length) ctx.addIssue({ code: 'custom', message: '字段名重复', path: ['changed'] });
    if (r.kind === 'merge' && r.parents.length !== 2) ctx.addIssue({ code: 'custom', message: '合并修订须有两个父修订', path: ['parents'] });
    if (r.kind === 'check' && r.parents.length > 1) ctx.addIssue({ code: 'custom', message: '核实记录最多有一个父修订', path: ['parents'] });
    if (r.kind === 'check' && r.parents.length === 1 && r.changed.length > 0) ctx.addIssue({ code: 'custom', message: '核实记录不能修改字段', path: ['changed'] });
  });
export type Revision = z.infer<typeof revisionSchema>;
export type RevisionKind = Revision['kind'];

/** A dated progress note (进展记录) on a task in a unit. Merged as a union by id. */
export const logEntrySchema = z.strictObject({
  id,
  taskId,
  unitCode,
  /** The date the note is about (ISO date). */
  date: isoDate,
  body: richDocSchema,
  author: authorSchema,
  createdAt: timestamp,
  updatedAt: timestamp,
  /** Tombstone: deleted notes stay so that a merge does not bring them back. */
  deleted: z.boolean(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** A piece of evidence (佐证材料). Merged as a union by id; the newer `updatedAt` wins. */
export const evidenceSchema = z
  .strictObject({
    id,
    taskId,
    unitCode,
    title: nonBlank(LIMITS.name),
    kind: z.enum(EVIDENCE_KINDS),
    /** 文号, e.g. 宁政发〔2023〕12号 */
    docNumber: z.string().max(LIMITS.docNumber).refine(noControl, { message: NO_CONTROL_MESSAGE }),
    /** ISO date or null. */
    date: isoDate.nullable(),
    /** sha-256 hex of the attached file, if any (the file itself is in `attachments`). */
    attachmentHash: z.string().regex(HEX64).nullable(),
    fileName: nonBlank(LIMITS.fileName)
      .refine((n) => !/[\\/]/.test(n), { message: '文件名不能含有路径' })
      .nullable(),
    mime: z.string().max(LIMITS.mime).regex(/^[\x21-\x7e]+\/[\x21-\x7e ;=]+$/).nullable(),
    size: z.int().min(0).max(MAX_ATTACHMENT_BYTES).nullable(),
    author: authorSchema,
    createdAt: timestamp,
    updatedAt: timestamp,
    deleted: z.boolean(),
  })
  .superRefine((e, ctx) => {
    if (e.attachmentHash !== null && (e.fileName === null || e.size === null)) {
      ctx.addIssue({ code: 'custom', message: '有附件时须有文件名和大小', path: ['fileName'] });
    }
  });
export type Evidence = z.infer<typeof evidenceSchema>;
