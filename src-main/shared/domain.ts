/**
 * The annotation domain, shared by every process: statuses, units, annotations, revisions, log
 * entries, evidence. The record types themselves are inferred from their schemas in records.ts,
 * where their invariants are documented; validation functions return Chinese messages a person
 * can act on.
 */
import type { AnnotationFields, CaseStudy, FieldName, Unit } from './records';

// The record types are inferred from their schemas in records.ts (one source per shape).
export type { Annotation, AnnotationFields, Author, CaseStudy, Evidence, FieldName, LogEntry, Revision, RevisionKind, Unit } from './records';

// ---------------------------------------------------------------------------------------------
// Status vocabulary (the rules on statuses — implemented, overdue, traffic light — are in rules.ts)

/** Implementation status of a task in one unit. Order is the order of the UI and the reports. */
export const STATUSES = ['not_started', 'on_track', 'delayed', 'mostly_done', 'done', 'not_applicable'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  not_started: '未启动',
  on_track: '序时推进',
  delayed: '进度滞后',
  mostly_done: '基本完成',
  done: '已完成',
  not_applicable: '不涉及',
};

/** Colours of the status badges (also used in charts and reports). */
export const STATUS_COLORS: Record<Status, string> = {
  not_started: '#8c8c8c',
  on_track: '#1677ff',
  delayed: '#cf1322',
  mostly_done: '#13a8a8',
  done: '#389e0d',
  not_applicable: '#bfbfbf',
};

// ---------------------------------------------------------------------------------------------
// Units

export type UnitKind = Unit['kind'];

/** The 11 districts of Nanjing, 江北新区 and 市级部门, as shipped. */
export const DEFAULT_UNITS: readonly Unit[] = [
  { code: '320102', name: '玄武区', kind: 'district', order: 1, active: true },
  { code: '320104', name: '秦淮区', kind: 'district', order: 2, active: true },
  { code: '320105', name: '建邺区', kind: 'district', order: 3, active: true },
  { code: '320106', name: '鼓楼区', kind: 'district', order: 4, active: true },
  { code: '320111', name: '浦口区', kind: 'district', order: 5, active: true },
  { code: '320113', name: '栖霞区', kind: 'district', order: 6, active: true },
  { code: '320114', name: '雨花台区', kind: 'district', order: 7, active: true },
  { code: '320115', name: '江宁区', kind: 'district', order: 8, active: true },
  { code: '320116', name: '六合区', kind: 'district', order: 9, active: true },
  { code: '320117', name: '溧水区', kind: 'district', order: 10, active: true },
  { code: '320118', name: '高淳区', kind: 'district', order: 11, active: true },
  { code: 'JBXQ', name: '江北新区', kind: 'zone', order: 12, active: true },
  { code: 'SJBM', name: '市级部门', kind: 'city', order: 13, active: true },
];

/** A unit code: GB/T 2260 digits or an upper-case code of 2–16 letters/digits. */
export const UNIT_CODE_PATTERN = /^[0-9A-Z][0-9A-Z_-]{1,15}$/;

/**
 * Task ids as published: T{table}-{number:02}, tables 1–5 (the plan has five). Whether the id
 * exists is checked against the corpus's task list where one is at hand (bundle import).
 */
export const TASK_ID_PATTERN = /^T[1-5]-\d{2}$/;

// ---------------------------------------------------------------------------------------------
// Annotations and revisions

/** Evidence kinds (佐证材料类型). */
export const EVIDENCE_KINDS = ['policy', 'statistics', 'case', 'media', 'photo', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  policy: '政策文件',
  statistics: '统计数据',
  case: '典型案例',
  media: '媒体报道',
  photo: '照片',
  other: '其他',
};

/** The parts of a write-up (the schema's keys), in the order of the case collection's headings. */
export type CaseStudyPart = keyof CaseStudy;
export const CASE_STUDY_PARTS = ['name', 'field', 'approach', 'results', 'replicability'] as const satisfies readonly CaseStudyPart[];
// A part added to the schema but not to the list above is a compile error here.
type MissingCaseStudyPart = Exclude<CaseStudyPart, (typeof CASE_STUDY_PARTS)[number]>;
const _everyCaseStudyPart: [MissingCaseStudyPart] extends [never] ? true : MissingCaseStudyPart = true;

export const CASE_STUDY_LABELS: Record<CaseStudyPart, string> = {
  name: '案例名称',
  field: '所属领域',
  approach: '主要做法',
  results: '取得成效',
  replicability: '复制推广价值',
};

/** Length caps of the parts of a write-up (characters). */
export const CASE_STUDY_LIMITS: Record<CaseStudyPart, number> = {
  name: 60,
  field: 40,
  approach: 5_000,
  results: 3_000,
  replicability: 2_000,
};

/** An empty write-up (the form before anything is typed). */
export function emptyCaseStudy(): CaseStudy {
  return { name: '', field: '', approach: '', results: '', replicability: '' };
}

/** The write-up of a field set; absent or all-blank → null. */
export function caseStudyOf(f: { caseStudy?: CaseStudy | null }): CaseStudy | null {
  const c = f.caseStudy;
  if (!c || typeof c !== 'object') return null;
  return CASE_STUDY_PARTS.some((k) => typeof c[k] === 'string' && c[k].trim() !== '') ? c : null;
}

/** A write-up's problems as Chinese messages keyed by part. Empty when valid. */
export function validateCaseStudy(c: CaseStudy | null): Partial<Record<CaseStudyPart, string>> {
  const errors: Partial<Record<CaseStudyPart, string>> = {};
  if (c === null) return errors;
  for (const k of CASE_STUDY_PARTS) {
    if (typeof c[k] !== 'string') errors[k] = `${CASE_STUDY_LABELS[k]}的数据格式无效`;
    else if (c[k].length > CASE_STUDY_LIMITS[k]) errors[k] = `${CASE_STUDY_LABELS[k]}过长（上限 ${CASE_STUDY_LIMITS[k]} 字）`;
  }
  const filled = CASE_STUDY_PARTS.some((k) => typeof c[k] === 'string' && c[k].trim() !== '');
  if (filled && !errors.name && c.name.trim() === '') errors.name = '请填写案例名称（已填写案例其他内容时必填）';
  if (!errors.name && /[\r\n]/.test(c.name)) errors.name = '案例名称不能换行';
  return errors;
}

/** One line naming a write-up's problems, in part order ('' when valid). */
export function caseStudyMessage(c: CaseStudy | null): string {
  return Object.values(validateCaseStudy(c)).join('；');
}

export const FIELD_LABELS: Record<FieldName, string> = {
  status: '完成状态',
  progress: '进度',
  leadUnits: '牵头单位',
  partnerUnits: '配合单位',
  deadline: '完成时限',
  progressNotes: '推进情况',
  results: '量化成效',
  problems: '存在问题',
  nextSteps: '下步计划',
  isInnovation: '制度创新成果',
  isBestPractice: '最佳实践案例',
  caseStudy: '典型案例',
};

/**
 * Every field, in form order: the keys of FIELD_LABELS, which the compiler holds to exactly the
 * schema's fields (records.ts; a test checks the order is the schema's too). Merge, diff, changed
 * fields, bundle normal form and history walk this list. It is not read off the zod schema itself
 * so that the first screen's scripts need no zod (the schemas load with the first save or import).
 */
export const FIELD_NAMES: readonly FieldName[] = Object.freeze(Object.keys(FIELD_LABELS) as FieldName[]);

/** Key of an annotation: one per (task, unit). */
export function annotationKey(taskId: string, unitCode: string): string {
  return `${taskId}|${unitCode}`;
}

/** Largest evidence file. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** The plan's date: no deadline can be before it. */
export const PLAN_DATE = '2022-12-29';

/**
 * The canonical form of a field set given with every field present: a write-up that is null is
 * left out (see `AnnotationFields.caseStudy`). Code that builds field sets from scratch writes
 * every field (typed `Required<AnnotationFields>`, so a new field is a compile error there) and
 * passes them through here.
 */
export function canonicalFields(all: Required<AnnotationFields>): AnnotationFields {
  if (all.caseStudy !== null) return all;
  const { caseStudy: _none, ...rest } = all;
  return rest;
}

/** A new annotation's fields. */
/** The most characters 量化成效, 存在问题 and 下步计划 may hold (the form counts towards it). */
export const TEXT_FIELD_LIMIT = 20_000;

export function emptyFields(): AnnotationFields {
  return canonicalFields({
    status: 'not_started',
    progress: 0,
    leadUnits: [],
    partnerUnits: [],
    deadline: null,
    progressNotes: { type: 'doc', content: [{ type: 'paragraph' }] },
    results: '',
    problems: '',
    nextSteps: '',
    isInnovation: false,
    isBestPractice: false,
    caseStudy: null,
  });
}

/** A field's value with absent = null (only `caseStudy` may be absent, in older data). */
export function fieldValue<F extends FieldName>(f: AnnotationFields, field: F): AnnotationFields[F] | null {
  if (field === 'caseStudy') return caseStudyOf(f) as AnnotationFields[F] | null;
  return f[field];
}

/** Deep equality of two field values (JSON-shaped data). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameValue(ao[k], bo[k]));
}

/** Names of the fields that differ between two field sets. */
export function changedFields(before: AnnotationFields | null, after: AnnotationFields): FieldName[] {
  if (!before) return [...FIELD_NAMES];
  return FIELD_NAMES.filter((f) => !sameValue(fieldValue(before, f), fieldValue(after, f)));
}

/** Is `value` an ISO calendar date (yyyy-mm-dd) that exists? */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Field-level problems of a set of fields, as Chinese messages keyed by field. Empty when valid. */
export function validateFields(f: AnnotationFields): Partial<Record<FieldName, string>> {
  const errors: Partial<Record<FieldName, string>> = {};
  if (!(STATUSES as readonly string[]).includes(f.status)) errors.status = '请选择有效的完成状态';
  if (!Number.isInteger(f.progress) || f.progress < 0 || f.progress > 100) errors.progress = '进度须为 0 到 100 之间的整数';
  if (f.deadline !== null) {
    if (!isIsoDate(f.deadline)) errors.deadline = '完成时限须为有效日期（如 2025-12-31）';
    else if (f.deadline < PLAN_DATE) errors.deadline = '完成时限不能早于方案印发日期 2022年12月29日';
  }
  for (const k of ['leadUnits', 'partnerUnits'] as const) {
    if (f[k].some((u) => u.trim() === '' || u.length > 100)) errors[k] = '单位名称不能为空，且不超过 100 字';
  }
  for (const k of ['results', 'problems', 'nextSteps'] as const) {
    if (f[k].length > TEXT_FIELD_LIMIT) errors[k] = `内容过长（上限 ${TEXT_FIELD_LIMIT} 字）`;
  }
  const c = f.caseStudy ?? null;
  if (c !== null && (typeof c !== 'object' || Array.isArray(c))) errors.caseStudy = '典型案例的数据格式无效';
  else if (c !== null) {
    const message = caseStudyMessage(c);
    if (message) errors.caseStudy = message;
  }
  return errors;
}
