/**
 * The annotation domain, shared by every process: statuses, units, annotations, revisions, log
 * entries, evidence. Invariants are documented on each type; validation functions return Chinese
 * messages a person can act on.
 */
import type { RichDoc } from './richtext';

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

export const STATUS_LABELS_EN: Record<Status, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  delayed: 'Delayed',
  mostly_done: 'Mostly done',
  done: 'Done',
  not_applicable: 'Not applicable',
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

export type UnitKind = 'district' | 'zone' | 'city';

/** A unit that annotates tasks: a district (GB/T 2260 code), 江北新区, or the city departments. */
export interface Unit {
  /** Stable code; never reused. Districts use their GB/T 2260 code. */
  code: string;
  name: string;
  kind: UnitKind;
  /** Sort order in lists and reports. */
  order: number;
  /** Inactive units stay in the data (their annotations are kept) but are hidden from pickers. */
  active: boolean;
}

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

/** The fields of an annotation that a person edits and that revisions record in full. */
export interface AnnotationFields {
  status: Status;
  /** Whole percent, 0–100. */
  progress: number;
  /** 牵头单位, one entry per unit. */
  leadUnits: string[];
  /** 配合单位 */
  partnerUnits: string[];
  /** 完成时限, ISO date, not before the plan's date (2022-12-29); null when not set. */
  deadline: string | null;
  /** 推进情况 (rich text) */
  progressNotes: RichDoc;
  /** 量化成效 */
  results: string;
  /** 存在问题 */
  problems: string;
  /** 下步计划 */
  nextSteps: string;
  /** 制度创新成果 */
  isInnovation: boolean;
  /** 最佳实践案例 */
  isBestPractice: boolean;
  /**
   * 典型案例 write-up, for tasks flagged 制度创新成果 or 最佳实践案例. Absent (older data, v1
   * bundles, revisions written before the field existed) reads as null: use `caseStudyOf`.
   * Canonical form (bundles, merge ids): the key is left out when null, so older revisions hash
   * exactly as before.
   */
  caseStudy?: CaseStudy | null;
}

/** A case write-up (典型案例): plain text parts, one per heading of the case collection. */
export interface CaseStudy {
  /** 案例名称 */
  name: string;
  /** 所属领域 */
  field: string;
  /** 主要做法 */
  approach: string;
  /** 取得成效 */
  results: string;
  /** 复制推广价值 (how widely it can be replicated) */
  replicability: string;
}

export const CASE_STUDY_PARTS = ['name', 'field', 'approach', 'results', 'replicability'] as const satisfies readonly (keyof CaseStudy)[];
export type CaseStudyPart = (typeof CASE_STUDY_PARTS)[number];

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

export const FIELD_NAMES = [
  'status',
  'progress',
  'leadUnits',
  'partnerUnits',
  'deadline',
  'progressNotes',
  'results',
  'problems',
  'nextSteps',
  'isInnovation',
  'isBestPractice',
  'caseStudy',
] as const satisfies readonly (keyof AnnotationFields)[];
export type FieldName = (typeof FIELD_NAMES)[number];

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

/** Who did something: the person's name and unit code, as in their profile. */
export interface Author {
  name: string;
  unitCode: string;
}

/** Key of an annotation: one per (task, unit). */
export function annotationKey(taskId: string, unitCode: string): string {
  return `${taskId}|${unitCode}`;
}

/**
 * The current state of one task in one unit. Invariant: equals the fields of revision `head`;
 * it is never changed without writing that revision first (in the same transaction).
 */
export interface Annotation extends AnnotationFields {
  /** `${taskId}|${unitCode}` */
  key: string;
  taskId: string;
  unitCode: string;
  /** Id of the revision these fields come from. */
  head: string;
  updatedAt: string;
  updatedBy: Author;
}

export type RevisionKind = 'edit' | 'restore' | 'merge';

/**
 * One save of an annotation: append-only, never changed. `parents` is the ancestry merge uses:
 * empty for the first revision, one parent for an edit, two for a merge of divergent histories.
 */
export interface Revision {
  /** Globally unique (UUID). */
  id: string;
  key: string;
  taskId: string;
  unitCode: string;
  parents: string[];
  author: Author;
  /** ISO timestamp. */
  at: string;
  kind: RevisionKind;
  /** Fields that differ from the first parent (all fields for a first revision). */
  changed: FieldName[];
  fields: AnnotationFields;
  /** For `restore`: the revision whose fields were restored. */
  restoredFrom?: string;
}

/** A dated progress note (进展记录) on a task in a unit. Merged as a union by id. */
export interface LogEntry {
  id: string;
  taskId: string;
  unitCode: string;
  /** The date the note is about (ISO date). */
  date: string;
  body: RichDoc;
  author: Author;
  createdAt: string;
  updatedAt: string;
  /** Tombstone: deleted notes stay so that a merge does not bring them back. */
  deleted: boolean;
}

/** A piece of evidence (佐证材料). Merged as a union by id; the newer `updatedAt` wins. */
export interface Evidence {
  id: string;
  taskId: string;
  unitCode: string;
  title: string;
  kind: EvidenceKind;
  /** 文号, e.g. 宁政发〔2023〕12号 */
  docNumber: string;
  /** ISO date or null. */
  date: string | null;
  /** sha-256 hex of the attached file, if any (the file itself is in `attachments`). */
  attachmentHash: string | null;
  fileName: string | null;
  mime: string | null;
  size: number | null;
  author: Author;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

/** Largest evidence file. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** The plan's date: no deadline can be before it. */
export const PLAN_DATE = '2022-12-29';

/** A new annotation's fields. */
export function emptyFields(): AnnotationFields {
  return {
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
    // caseStudy: absent = none (the canonical form; see AnnotationFields.caseStudy)
  };
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
    if (f[k].length > 20_000) errors[k] = '内容过长（上限 20000 字）';
  }
  const c = f.caseStudy ?? null;
  if (c !== null && (typeof c !== 'object' || Array.isArray(c))) errors.caseStudy = '典型案例的数据格式无效';
  else if (c !== null) {
    const message = caseStudyMessage(c);
    if (message) errors.caseStudy = message;
  }
  return errors;
}
