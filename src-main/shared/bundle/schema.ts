/**
 * Strict schemas (zod 4) of everything a bundle carries: the records' own schemas (records.ts)
 * and the manifest's. Bundles are untrusted: unknown keys are refused, every string is bounded,
 * dates and timestamps are checked, rich text must fit the editor's schema (links: https, http,
 * mailto only), and JSON with `__proto__`, `constructor` or `prototype` keys is refused before any
 * schema sees it. Also here: the fast "surely valid" checks of the big record kinds.
 */
import { z } from 'zod';
import { FIELD_NAMES, STATUSES, TASK_ID_PATTERN, UNIT_CODE_PATTERN, annotationKey, isIsoDate, validateFields, type Annotation, type AnnotationFields, type FieldName, type LogEntry, type Revision } from '../domain';
import { HEX64, ID_PATTERN, LIMITS, REVISION_KINDS, authorSchema, caseStudySchema, evidenceSchema, annotationSchema, logEntrySchema, revisionSchema, timestamp, unitCode, unitSchema } from '../records';
import { validateRichDoc } from '../richtext';
import { fail, ok, type Result } from '../result';
import { BUNDLE_SCOPES, FORMAT_ID, isBundleEntryName, type RecordKind } from './format';
import { roundMarkerSchema } from '../rounds/schema';
import { BUNDLE_KINDS, PROFILE_ROLES } from '../rounds/kinds';

// The record schemas live in records.ts (they are the types' source too); re-exported for bundle code.
export { ID_PATTERN, LIMITS, TASK_ID_PATTERN, annotationFieldsSchema, authorSchema, fieldValueSchemas } from '../records';

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
      rounds: count.optional(),
      submissions: count.optional(),
      reviews: count.optional(),
      reportDrafts: count.optional(),
      reportDraftRevisions: count.optional(),
    }),
    entries: manifestEntriesSchema,
    // Version 3 (older manifests are given them by the migration before this schema sees them).
    kind: z.enum(BUNDLE_KINDS),
    role: z.enum(PROFILE_ROLES),
    round: roundMarkerSchema.optional(),
    /** Reserved for signing: null until files are signed (a signed file from a later version fails here, clearly). */
    signature: z.null(),
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
type Check = (v: unknown) => boolean;
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
const okTextField: Check = (v) => okText(v);
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
const okRevisionKind = oneOf(REVISION_KINDS);
const okRich = (v: unknown): boolean => validateRichDoc(v) === null;
const okKeyText = (v: unknown): boolean => isStr(v, LIMITS.id * 2);

/**
 * A strict object whose every key has its check. The check maps are typed as exactly the keys of
 * the record type (`ChecksOf`), so a key added to a schema does not compile until its fast check is
 * written — an unchecked new key would make the fast path laxer than the schema.
 */
type ChecksOf<T> = { readonly [K in keyof T]-?: Check };
function strict(checks: Readonly<Record<string, Check>>): (v: unknown) => v is Obj {
  const keys = new Set(Object.keys(checks));
  const list = Object.entries(checks);
  return (v: unknown): v is Obj => {
    if (!isObj(v) || !onlyKeys(v, keys)) return false;
    for (const [k, check] of list) if (!check(v[k])) return false;
    return true;
  };
}

const okAuthor = strict({ name: (v) => okNonBlank(v, LIMITS.name), unitCode: okUnitCode } satisfies ChecksOf<z.infer<typeof authorSchema>>);
const okUnitList = (v: unknown): boolean => Array.isArray(v) && v.length <= LIMITS.unitsPerField && v.every((u) => okNonBlank(u, LIMITS.unitName));
const okCaseStudyObject = strict({
  name: okTextField,
  field: okTextField,
  approach: okTextField,
  results: okTextField,
  replicability: okTextField,
} satisfies ChecksOf<z.infer<typeof caseStudySchema>>);

/** One check per annotation field, as in `fieldsShape` (absent → undefined: only optional fields pass). */
const FIELD_CHECKS = {
  status: okStatus,
  progress: (v) => typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0) && v >= 0 && v <= 100,
  leadUnits: okUnitList,
  partnerUnits: okUnitList,
  deadline: (v) => v === null || okIsoDate(v),
  progressNotes: okRich,
  results: okTextField,
  problems: okTextField,
  nextSteps: okTextField,
  isInnovation: okBool,
  isBestPractice: okBool,
  caseStudy: (v) => v === undefined || v === null || okCaseStudyObject(v),
} satisfies Record<FieldName, Check>;

/** The app's own field rules (deadline not before the plan …), on fields whose types were checked. */
const okFieldRules = (o: Obj): boolean => Object.keys(validateFields(o as unknown as AnnotationFields)).length === 0;
const okKey = (o: Obj): boolean => o.key === annotationKey(o.taskId as string, o.unitCode as string);
const okFieldSet = strict(FIELD_CHECKS);

const revisionShape = strict({
  id: okId,
  key: okKeyText,
  taskId: okTaskId,
  unitCode: okUnitCode,
  parents: (v) => Array.isArray(v) && v.length <= 2 && v.every(okId) && (v.length < 2 || v[0] !== v[1]),
  author: okAuthor,
  at: okTimestamp,
  kind: okRevisionKind,
  changed: (v) => Array.isArray(v) && v.length <= FIELD_NAMES.length && v.every(okFieldName) && new Set(v).size === v.length,
  fields: (v) => okFieldSet(v) && okFieldRules(v),
  restoredFrom: (v) => v === undefined || okId(v),
} satisfies ChecksOf<Revision>);
const isValidRevision = (r: unknown): boolean =>
  revisionShape(r) &&
  okKey(r) &&
  !(r.parents as string[]).includes(r.id as string) &&
  (r.kind !== 'merge' || (r.parents as string[]).length === 2) &&
  (r.kind !== 'check' || (r.parents as string[]).length === 0 || ((r.parents as string[]).length === 1 && (r.changed as string[]).length === 0));

const annotationShape = strict({
  ...FIELD_CHECKS,
  key: okKeyText,
  taskId: okTaskId,
  unitCode: okUnitCode,
  head: okId,
  updatedAt: okTimestamp,
  updatedBy: okAuthor,
} satisfies ChecksOf<Annotation>);
const isValidAnnotation = (a: unknown): boolean => annotationShape(a) && okKey(a) && okFieldRules(a);

const isValidLogEntry = strict({
  id: okId,
  taskId: okTaskId,
  unitCode: okUnitCode,
  date: okIsoDate,
  body: okRich,
  author: okAuthor,
  createdAt: okTimestamp,
  updatedAt: okTimestamp,
  deleted: okBool,
} satisfies ChecksOf<LogEntry>);

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
 * How deep the data of a bundle may nest: a record (3 levels) holding rich text (at most 12, see
 * richtext.ts) and a little room. JSON.parse itself copes with 100,000 levels, but every recursive
 * walk after it (the schemas, the rich-text check) would overflow the stack; such a file is refused
 * here, by a scan that is linear in the text and recursion-free.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings not counted), stopping once past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip the string natively: the next quote not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92 /* \\ */) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return max; // unterminated: JSON.parse reports it
      i = end;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Parses JSON, refusing `__proto__`, `constructor` and `prototype` keys at any depth
 * (`bundle.unsafe_key`). Text that cannot contain such a key — none of the three words, and no
 * `\u` escape through which a key could spell one — skips the (slower) reviver.
 */
export function parseJsonSafe(text: string, file: string): Result<unknown> {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return fail('bundle.too_deep', `批注包中的 ${file} 嵌套层级超过 ${MAX_JSON_DEPTH} 层，不是本软件导出的数据，已拒绝导入。`, `${file}: depth > ${MAX_JSON_DEPTH}`);
  }
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

// Validation with Chinese, locatable messages: `checkRecord`, `checkInPlace` (in recordCheck.ts,
// which snapshot/schema.ts uses too without depending on the bundle format).
export { checkInPlace, checkRecord } from '../recordCheck';
