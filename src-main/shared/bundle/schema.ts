/**
 * Strict schemas (zod 4) of everything a bundle carries. Bundles are untrusted: unknown keys are
 * refused, every string is bounded, dates and timestamps are checked, rich text must fit the
 * editor's schema (links: https, http, mailto only), and JSON with `__proto__`, `constructor` or
 * `prototype` keys is refused before any schema sees it.
 */
import { z } from 'zod';
import {
  EVIDENCE_KINDS,
  FIELD_NAMES,
  MAX_ATTACHMENT_BYTES,
  STATUSES,
  UNIT_CODE_PATTERN,
  annotationKey,
  isIsoDate,
  validateFields,
  type AnnotationFields,
  type FieldName,
} from '../domain';
import { validateRichDoc, type RichDoc } from '../richtext';
import { fail, ok, type Result } from '../result';
import { BUNDLE_SCOPES, FORMAT_ID, isBundleEntryName, type RecordKind } from './format';

// ---------------------------------------------------------------------------------------------
// Bounds

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

/** Task ids as published: T{table}-{number:02}. Whether the id exists is checked against the corpus. */
export const TASK_ID_PATTERN = /^T[1-9]-\d{2}$/;
/** Revision, log entry and evidence ids: UUIDs, merge ids (`m-…`) or similar. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** No control characters except tab, line feed and carriage return. */
const noControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
};
const NO_CONTROL_MESSAGE = { message: '含有不允许的控制字符' };

// ---------------------------------------------------------------------------------------------
// Building blocks

/** UTC ISO timestamp with milliseconds (`Date#toISOString`): one format, so text order is time order. */
const timestamp = z.iso.datetime({ precision: 3 });
const isoDate = z.string().refine(isIsoDate, { message: '日期须为有效日期（如 2024-06-30）' });
const id = z.string().min(1).max(LIMITS.id).regex(ID_PATTERN);
const unitCode = z.string().regex(UNIT_CODE_PATTERN);
const taskId = z.string().max(LIMITS.id).regex(TASK_ID_PATTERN);
const text = z.string().max(LIMITS.text).refine(noControl, NO_CONTROL_MESSAGE);
const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine(noControl, NO_CONTROL_MESSAGE)
    .refine((s) => s.trim() !== '', { message: '不能为空' });

/** Rich text: checked by the editor's own validator (node types, marks, safe links, depth, size). */
export const richDocSchema = z.custom<RichDoc>().superRefine((value, ctx) => {
  const reason = validateRichDoc(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

export const authorSchema = z.strictObject({
  name: nonBlank(LIMITS.name),
  unitCode,
});

export const unitSchema = z.strictObject({
  code: unitCode,
  name: nonBlank(LIMITS.name),
  kind: z.enum(['district', 'zone', 'city']),
  order: z.int().min(0).max(1_000_000),
  active: z.boolean(),
});

const unitList = z.array(nonBlank(LIMITS.unitName)).max(LIMITS.unitsPerField);

const fieldsShape = {
  status: z.enum(STATUSES),
  progress: z.int().min(0).max(100),
  leadUnits: unitList,
  partnerUnits: unitList,
  deadline: isoDate.nullable(),
  progressNotes: richDocSchema,
  results: text,
  problems: text,
  nextSteps: text,
  isInnovation: z.boolean(),
  isBestPractice: z.boolean(),
  /** Optional: absent in bundles written before write-ups existed (reads as null). */
  caseStudy: z
    .strictObject({ name: text, field: text, approach: text, results: text, replicability: text })
    .nullable()
    .optional(),
};

/** The app's own field rules (deadline not before the plan, units not blank …), as issues. */
function refineFields(f: AnnotationFields, ctx: z.RefinementCtx, prefix: (string | number)[]) {
  const errors = validateFields(f);
  for (const [field, message] of Object.entries(errors)) ctx.addIssue({ code: 'custom', message, path: [...prefix, field] });
}

export const annotationFieldsSchema = z.strictObject(fieldsShape).superRefine((f, ctx) => refineFields(f as AnnotationFields, ctx, []));

/** The schema of one field's value (for edited values in conflict resolution). */
export const fieldValueSchemas: { [F in FieldName]: z.ZodType<AnnotationFields[F]> } = fieldsShape as never;

function checkKey(r: { key: string; taskId: string; unitCode: string }, ctx: z.RefinementCtx) {
  if (r.key !== annotationKey(r.taskId, r.unitCode)) ctx.addIssue({ code: 'custom', message: 'key 与任务编号、单位代码不一致', path: ['key'] });
}

export const annotationSchema = z
  .strictObject({
    ...fieldsShape,
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    head: id,
    updatedAt: timestamp,
    updatedBy: authorSchema,
  })
  .superRefine((a, ctx) => {
    checkKey(a, ctx);
    refineFields(a as AnnotationFields, ctx, []);
  });

export const revisionSchema = z
  .strictObject({
    id,
    key: z.string().max(LIMITS.id * 2),
    taskId,
    unitCode,
    parents: z.array(id).max(2),
    author: authorSchema,
    at: timestamp,
    kind: z.enum(['edit', 'restore', 'merge']),
    changed: z.array(z.enum(FIELD_NAMES)).max(FIELD_NAMES.length),
    fields: annotationFieldsSchema,
    restoredFrom: id.optional(),
  })
  .superRefine((r, ctx) => {
    checkKey(r, ctx);
    if (new Set(r.parents).size !== r.parents.length || r.parents.includes(r.id)) {
      ctx.addIssue({ code: 'custom', message: '父修订重复或指向自身', path: ['parents'] });
    }
    if (new Set(r.changed).size !== r.changed.length) ctx.addIssue({ code: 'custom', message: '字段名重复', path: ['changed'] });
    if (r.kind === 'merge' && r.parents.length !== 2) ctx.addIssue({ code: 'custom', message: '合并修订须有两个父修订', path: ['parents'] });
  });

export const logEntrySchema = z.strictObject({
  id,
  taskId,
  unitCode,
  date: isoDate,
  body: richDocSchema,
  author: authorSchema,
  createdAt: timestamp,
  updatedAt: timestamp,
  deleted: z.boolean(),
});

export const evidenceSchema = z
  .strictObject({
    id,
    taskId,
    unitCode,
    title: nonBlank(LIMITS.name),
    kind: z.enum(EVIDENCE_KINDS),
    docNumber: z.string().max(LIMITS.docNumber).refine(noControl, NO_CONTROL_MESSAGE),
    date: isoDate.nullable(),
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

export const manifestEntrySchema = z.strictObject({
  sha256: z.string().regex(HEX64),
  size: z.int().min(0),
});

/** `entries` of a manifest: this shape is the same in every format version. */
export const manifestEntriesSchema = z
  .record(z.string().max(200).refine(isBundleEntryName, { message: '清单中含有不允许的文件名' }), manifestEntrySchema)
  .refine((r) => Object.keys(r).length <= LIMITS.manifestEntries, { message: '清单条目过多' });

const count = z.int().min(0).max(100_000_000);

export const manifestSchema = z
  .strictObject({
    format: z.literal(FORMAT_ID),
    formatVersion: z.int().min(1),
    appVersion: z.string().min(1).max(LIMITS.appVersion).regex(/^[0-9A-Za-z.+-]+$/),
    corpusHash: z.string().regex(HEX64),
    author: authorSchema,
    unitCodes: z.array(unitCode).max(LIMITS.units),
    createdAt: timestamp,
    scope: z.enum(BUNDLE_SCOPES),
    since: timestamp.optional(),
    counts: z.strictObject({
      annotations: count,
      revisions: count,
      logEntries: count,
      evidence: count,
      attachments: count,
      periods: count.optional(),
      snapshots: count.optional(),
    }),
    entries: manifestEntriesSchema,
  })
  .superRefine((m, ctx) => {
    if ((m.scope === 'since') !== (m.since !== undefined)) ctx.addIssue({ code: 'custom', message: '范围为 since 时须有 since 时间（且仅此时）', path: ['since'] });
    if (new Set(m.unitCodes).size !== m.unitCodes.length) ctx.addIssue({ code: 'custom', message: '单位代码重复', path: ['unitCodes'] });
  });

export const RECORD_SCHEMAS: Record<RecordKind, z.ZodType> = {
  units: unitSchema,
  annotations: annotationSchema,
  revisions: revisionSchema,
  logEntries: logEntrySchema,
  evidence: evidenceSchema,
};

// ---------------------------------------------------------------------------------------------
// Fast path: hand-written checks of the three big record kinds

/*
 * zod costs ~1 s of reading a city bundle (40k revisions, each with a full snapshot of all fields).
 * These checks test exactly the rules of the schemas above with plain code, and answer only "surely
 * valid" (true) or "not sure" (false): on false the record goes through zod, which decides and
 * words the refusal. So they may be stricter than the schemas but never laxer — a test mutates
 * valid records field by field and checks that whatever they accept zod accepts too.
 */

/** zod's own pattern of `timestamp` (the same regex, so the same verdicts); null → no fast path. */
const TIMESTAMP_PATTERN: RegExp | null = (() => {
  const p = (timestamp as unknown as { _zod?: { pattern?: unknown } })._zod?.pattern;
  return p instanceof RegExp && !p.global && !p.sticky ? p : null;
})();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Every own key of `o` is one of `allowed` (strict objects). */
const onlyKeys = (o: Obj, allowed: ReadonlySet<string>): boolean => {
  for (const k in o) if (!allowed.has(k)) return false;
  return Object.getPrototypeOf(o) === Object.prototype;
};
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** The characters `noControl` refuses, as a regex (native: much quicker on long texts). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const okText = (v: unknown, max: number = LIMITS.text): boolean => isStr(v, max) && !CONTROL.test(v);
const okNonBlank = (v: unknown, max: number): boolean => okText(v, max) && (v as string).trim() !== '';
const okId = (v: unknown): boolean => isStr(v, LIMITS.id) && v.length >= 1 && ID_PATTERN.test(v);
const okUnitCode = (v: unknown): boolean => typeof v === 'string' && UNIT_CODE_PATTERN.test(v);
const okTaskId = (v: unknown): boolean => isStr(v, LIMITS.id) && TASK_ID_PATTERN.test(v);
const okTimestamp = (v: unknown): boolean => typeof v === 'string' && TIMESTAMP_PATTERN !== null && TIMESTAMP_PATTERN.test(v);
const okIsoDate = (v: unknown): boolean => typeof v === 'string' && isIsoDate(v);
const okBool = (v: unknown): boolean => v === true || v === false;
const oneOf = (list: readonly string[]) => {
  const set = new Set(list);
  return (v: unknown): boolean => typeof v === 'string' && set.has(v);
};
const okStatus = oneOf(STATUSES);
const okFieldName = oneOf(FIELD_NAMES);
const okRevisionKind = oneOf(['edit', 'restore', 'merge']);
const AUTHOR_KEYS = new Set(['name', 'unitCode']);
const okAuthor = (v: unknown): boolean => isObj(v) && onlyKeys(v, AUTHOR_KEYS) && okNonBlank(v.name, LIMITS.name) && okUnitCode(v.unitCode);
const okUnitList = (v: unknown): boolean => Array.isArray(v) && v.length <= LIMITS.unitsPerField && v.every((u) => okNonBlank(u, LIMITS.unitName));
const CASE_KEYS = new Set(['name', 'field', 'approach', 'results', 'replicability']);
const okCaseStudy = (v: unknown): boolean =>
  v === null || (isObj(v) && onlyKeys(v, CASE_KEYS) && okText(v.name) && okText(v.field) && okText(v.approach) && okText(v.results) && okText(v.replicability));
const okRich = (v: unknown): boolean => validateRichDoc(v) === null;

const FIELD_KEYS = new Set<string>(FIELD_NAMES);
/** The fields of `o` (as in `fieldsShape`) and the app's own field rules. */
const okFields = (o: Obj): boolean =>
  okStatus(o.status) &&
  typeof o.progress === 'number' &&
  Number.isInteger(o.progress) &&
  !Object.is(o.progress, -0) &&
  o.progress >= 0 &&
  o.progress <= 100 &&
  okUnitList(o.leadUnits) &&
  okUnitList(o.partnerUnits) &&
  (o.deadline === null || okIsoDate(o.deadline)) &&
  okText(o.results) &&
  okText(o.problems) &&
  okText(o.nextSteps) &&
  okBool(o.isInnovation) &&
  okBool(o.isBestPractice) &&
  (!('caseStudy' in o) || okCaseStudy(o.caseStudy)) &&
  okRich(o.progressNotes) &&
  Object.keys(validateFields(o as unknown as AnnotationFields)).length === 0;
const okKey = (o: Obj): boolean => isStr(o.key, LIMITS.id * 2) && o.key === annotationKey(o.taskId as string, o.unitCode as string);

if (!FIELD_NAMES.every((f) => f in fieldsShape) || Object.keys(fieldsShape).length !== FIELD_NAMES.length) {
  throw new Error('schema.ts: fieldsShape and FIELD_NAMES differ; update the fast checks');
}

const REVISION_KEYS = new Set(['id', 'key', 'taskId', 'unitCode', 'parents', 'author', 'at', 'kind', 'changed', 'fields', 'restoredFrom']);
const isValidRevision = (r: unknown): boolean => {
  if (!isObj(r) || !onlyKeys(r, REVISION_KEYS)) return false;
  const { parents, changed, fields } = r;
  return (
    okId(r.id) &&
    okTaskId(r.taskId) &&
    okUnitCode(r.unitCode) &&
    okKey(r) &&
    Array.isArray(parents) &&
    parents.length <= 2 &&
    parents.every(okId) &&
    (parents.length < 2 || parents[0] !== parents[1]) &&
    !parents.includes(r.id) &&
    okAuthor(r.author) &&
    okTimestamp(r.at) &&
    okRevisionKind(r.kind) &&
    (r.kind !== 'merge' || parents.length === 2) &&
    Array.isArray(changed) &&
    changed.length <= FIELD_NAMES.length &&
    changed.every(okFieldName) &&
    new Set(changed).size === changed.length &&
    isObj(fields) &&
    onlyKeys(fields, FIELD_KEYS) &&
    okFields(fields) &&
    (!('restoredFrom' in r) || okId(r.restoredFrom))
  );
};

const ANNOTATION_KEYS = new Set([...FIELD_NAMES, 'key', 'taskId', 'unitCode', 'head', 'updatedAt', 'updatedBy']);
const isValidAnnotation = (a: unknown): boolean =>
  isObj(a) &&
  onlyKeys(a, ANNOTATION_KEYS) &&
  okTaskId(a.taskId) &&
  okUnitCode(a.unitCode) &&
  okKey(a) &&
  okId(a.head) &&
  okTimestamp(a.updatedAt) &&
  okAuthor(a.updatedBy) &&
  okFields(a);

const LOG_KEYS = new Set(['id', 'taskId', 'unitCode', 'date', 'body', 'author', 'createdAt', 'updatedAt', 'deleted']);
const isValidLogEntry = (e: unknown): boolean =>
  isObj(e) &&
  onlyKeys(e, LOG_KEYS) &&
  okId(e.id) &&
  okTaskId(e.taskId) &&
  okUnitCode(e.unitCode) &&
  okIsoDate(e.date) &&
  okAuthor(e.author) &&
  okTimestamp(e.createdAt) &&
  okTimestamp(e.updatedAt) &&
  okBool(e.deleted) &&
  okRich(e.body);

/** "Surely valid" checks by record kind (see above); a kind without one always goes through zod. */
export const FAST_CHECKS: Partial<Record<RecordKind, (value: unknown) => boolean>> = {
  revisions: isValidRevision,
  annotations: isValidAnnotation,
  logEntries: isValidLogEntry,
};

// ---------------------------------------------------------------------------------------------
// Safe JSON

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

class UnsafeKeyError extends Error {
  constructor(readonly key: string) {
    super(`unsafe key ${key}`);
  }
}

/**
 * Parses JSON, refusing `__proto__`, `constructor` and `prototype` keys at any depth
 * (`bundle.unsafe_key`). Text that cannot contain such a key — none of the three words, and no
 * `\u` escape through which a key could spell one — skips the (slower) reviver.
 */
export function parseJsonSafe(text: string, file: string): Result<unknown> {
  try {
    if (!/__proto__|constructor|prototype|\\u/.test(text)) return ok(JSON.parse(text));
    return ok(
      JSON.parse(text, (key, value: unknown) => {
        if (FORBIDDEN_KEYS.has(key)) throw new UnsafeKeyError(key);
        return value;
      }),
    );
  } catch (e) {
    if (e instanceof UnsafeKeyError) {
      return fail('bundle.unsafe_key', `批注包中的 ${file} 含有不安全的内容（键名「${e.key}」），已拒绝导入。`, `${file}: key ${e.key}`);
    }
    return fail('bundle.invalid_json', `批注包中的 ${file} 不是有效的数据文件，批注包可能已损坏。请让对方重新导出。`, `${file}: ${String(e)}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 bytes (invalid sequences fail) and parses them with `parseJsonSafe`. */
export function parseJsonBytes(bytes: Uint8Array, file: string): Result<unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    return fail('bundle.invalid_json', `批注包中的 ${file} 不是有效的 UTF-8 文本，批注包可能已损坏。`, `${file}: ${String(e)}`);
  }
  return parseJsonSafe(text, file);
}

// ---------------------------------------------------------------------------------------------
// Validation with Chinese, locatable messages

const zhErrors = z.locales.zhCN().localeError;

const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '（整条记录）';

/**
 * Parses one value with a schema. Failure: `bundle.invalid_record` (or `bundle.unsafe_link` for a
 * link with a disallowed protocol) naming the file, the record's position and the field.
 */
export function checkRecord<T>(schema: z.ZodType<T>, value: unknown, file: string, index: number | null): Result<T> {
  const r = schema.safeParse(value, { error: zhErrors });
  if (r.success) return ok(r.data);
  return recordError(r.error, file, index);
}

/**
 * Validates without keeping zod's copy: on success returns `value` itself. Safe for the bundle
 * schemas, which only check (strict objects, no defaults or transforms), and it halves the memory
 * a large import holds.
 */
export function checkInPlace<T>(schema: z.ZodType<T>, value: unknown, file: string, index: number | null): Result<T> {
  const r = schema.safeParse(value, { error: zhErrors });
  if (r.success) return ok(value as T);
  return recordError(r.error, file, index);
}

function recordError(error: z.ZodError, file: string, index: number | null): Result<never> {
  const r = { error };
  const issue = r.error.issues[0]!;
  const where = index === null ? file : `${file} 第 ${index + 1} 条记录`;
  const field = pathText(issue.path);
  const detail = `${file}${index === null ? '' : `[${index}]`} ${field}: ${issue.message}`;
  if (issue.code === 'custom' && issue.message.startsWith('链接')) {
    return fail('bundle.unsafe_link', `批注包中${where}（${field}）含有不安全的链接：${issue.message}。已拒绝导入。`, detail);
  }
  return fail('bundle.invalid_record', `批注包中${where}的「${field}」不符合要求（${issue.message}），已拒绝导入。请让对方检查后重新导出。`, detail);
}
