/**
 * The data functions the UI calls: profile, units, annotations with their revisions, log entries,
 * evidence and attachments. Each takes the database as its first argument (the app passes the `db`
 * singleton, tests a fresh one).
 *
 * Rules kept here:
 * - Expected failures are values: bad input gives `{ ok: false, error, fieldErrors }` with Chinese
 *   messages keyed by field, and nothing is written. Storage failures (disk full, IndexedDB errors)
 *   come back as values too; anything else thrown is a bug.
 * - A transaction holds database work only. Hashing and validation happen before it starts
 *   (an await on anything but Dexie inside a transaction commits it early in IndexedDB).
 * - An annotation never changes without its revision being written in the same transaction.
 */
import Dexie from 'dexie';
import {
  CASE_STUDY_LABELS,
  CASE_STUDY_PARTS,
  EVIDENCE_KINDS,
  FIELD_LABELS,
  FIELD_NAMES,
  MAX_ATTACHMENT_BYTES,
  PLAN_DATE,
  STATUS_LABELS,
  TASK_ID_PATTERN,
  UNIT_CODE_PATTERN,
  annotationKey,
  caseStudyOf,
  changedFields,
  emptyFields,
  fieldValue,
  isIsoDate,
  sameValue,
  validateCaseStudy,
  validateFields,
  type Annotation,
  type AnnotationFields,
  type Author,
  type CaseStudy,
  type Evidence,
  type EvidenceKind,
  type FieldName,
  type LogEntry,
  type Revision,
  type Unit,
  type UnitKind,
} from '../../../src-main/shared/domain';
import { mayAmend, openWindowKey, openWindowRow, readShareCount } from '../../../src-main/shared/services/revisionWindow';
import { chinaMonth, chinaToday, cnDate } from '../../../src-main/shared/time';
import type { core } from 'zod';
import { isEmptyDoc, plainText, validateRichDoc, type RichDoc } from '../../../src-main/shared/richtext';
import { declaredTypeContradiction, mimeOf, plainFileName } from '../../../src-main/shared/evidence/fileType';
import type { AppError } from '../../../src-main/shared/result';
import { sha256HexAsync } from '../../../src-main/shared/hash';
import type { AttachmentRecord, PilotDb, Profile, ProfileChange, ProfileHistoryField } from './db';

export type { Profile, ProfileChange, ProfileHistoryField } from './db';

type ZodIssue = core.$ZodIssue;

/**
 * The record schemas (zod), loaded by the first check rather than with the first screen, whose
 * scripts they would slow down (tests/e2e/startup-chunks.test.ts). Checks run before any
 * transaction starts, so this await never commits one early.
 */
const recordSchemas = () => import('../../../src-main/shared/records');

// ---------------------------------------------------------------------------------------------
// Results

/**
 * The result of a write the person started from a form. On failure `fieldErrors` maps each field
 * to the message to show at that field (empty when the failure is not about one field, e.g. a full
 * disk); `error.message` summarises them for a toast.
 */
export type FormResult<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; error: AppError; fieldErrors: Partial<Record<F, string>> };

const success = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

type Failure<F extends string> = { ok: false; error: AppError; fieldErrors: Partial<Record<F, string>> };

function failure<F extends string = never>(code: string, message: string, detail?: string): Failure<F> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail }, fieldErrors: {} };
}

function invalid<F extends string>(code: string, fieldErrors: Partial<Record<F, string>>, labels: Record<F, string>): Failure<F> {
  const entries = Object.entries(fieldErrors) as [F, string][];
  const message = entries.map(([f, m]) => (m.includes(labels[f]) ? m : `${labels[f]}：${m}`)).join('；');
  return { ok: false, error: { code, message, detail: entries.map(([f]) => f).join(',') }, fieldErrors };
}

const hasErrors = (e: object): boolean => Object.keys(e).length > 0;

/** Runs database work; IndexedDB failures become values a person can act on, bugs still throw. */
async function write<T, F extends string>(what: string, work: () => Promise<T>): Promise<FormResult<T, F>> {
  try {
    return success(await work());
  } catch (e) {
    const err = e as Error;
    const isStorage = e instanceof Dexie.DexieError || (typeof DOMException !== 'undefined' && e instanceof DOMException);
    if (!isStorage) throw e;
    if (err.name === 'QuotaExceededError' || (err as { inner?: Error }).inner?.name === 'QuotaExceededError') {
      return failure('db.quota', `${what}失败：磁盘空间不足。请清理磁盘空间后重试，已输入的内容不会丢失。`, `${err.name}: ${err.message}`);
    }
    return failure('db.write_failed', `${what}失败：本地数据库写入出错，请重试；如反复出现，请重启本软件。`, `${err.name}: ${err.message}`);
  }
}

function checkRef(taskId: string, unitCode: string): Failure<never> | null {
  if (!TASK_ID_PATTERN.test(taskId)) return failure('task.invalid', `任务编号「${taskId}」无效。`);
  if (!UNIT_CODE_PATTERN.test(unitCode)) return failure('unit.invalid', `单位代码「${unitCode}」无效。`);
  return null;
}

const unknownUnit = (unitCode: string) => failure('unit.unknown', `单位「${unitCode}」不在单位列表中，请先在设置中添加该单位。`);

const authorOf = (a: Author): Author => ({ name: a.name, unitCode: a.unitCode });

/** ISO timestamp that is not earlier than `after` (a clock set back must not reorder history). */
function stamp(now: Date, after?: string): string {
  const at = now.toISOString();
  if (after && at <= after) return new Date(Date.parse(after) + 1).toISOString();
  return at;
}

// ---------------------------------------------------------------------------------------------
// Profile

export type ProfileField = keyof Profile;
const PROFILE_LABELS: Record<ProfileField, string> = { name: '姓名', unitCode: '所在单位', language: '界面语言', role: '角色' };

/** The local person, or undefined before the first-run form was completed. */
export async function getProfile(db: PilotDb): Promise<Profile | undefined> {
  const r = await db.profile.get('local');
  if (!r) return undefined;
  return { name: r.name, unitCode: r.unitCode, language: r.language, role: r.role };
}

/** The profile fields whose changes go into the history, in the order they are listed. */
export const PROFILE_HISTORY_FIELDS: readonly ProfileHistoryField[] = ['name', 'unitCode', 'role'];

/** Every change of the profile, newest first (empty before the first change). */
export async function getProfileHistory(db: PilotDb): Promise<ProfileChange[]> {
  const r = await db.profile.get('local');
  return [...(r?.history ?? [])].reverse();
}

/**
 * Saves the profile (name trimmed). The unit must be an active unit of the list. A save that
 * changes the name, the unit or the role adds one entry to the profile's history (when, and each
 * field from what to what), in the same write; the first save and a save that changes none of them
 * add none.
 */
export async function saveProfile(db: PilotDb, input: Profile, now: Date = new Date()): Promise<FormResult<Profile, ProfileField>> {
  const profile: Profile = {
    name: typeof input.name === 'string' ? input.name.trim() : '',
    unitCode: input.unitCode,
    language: input.language,
    role: input.role,
  };
  const errors: Partial<Record<ProfileField, string>> = {};
  if (!profile.name) errors.name = '请填写姓名';
  else if (profile.name.length > 40) errors.name = '姓名不超过 40 字';
  if (profile.language !== 'zh-CN' && profile.language !== 'en') errors.language = '请选择界面语言';
  if (profile.role !== 'official' && profile.role !== 'supervisor') errors.role = '请选择角色（区级经办人或市级督办）';
  const unit = typeof profile.unitCode === 'string' ? await db.units.get(profile.unitCode) : undefined;
  if (!unit || !unit.active) errors.unitCode = '请选择所在单位';
  if (hasErrors(errors)) return invalid('profile.invalid', errors, PROFILE_LABELS);
  return write('保存个人信息', () =>
    db.transaction('rw', db.profile, async () => {
      const before = await db.profile.get('local');
      const history = [...(before?.history ?? [])];
      const at = stamp(now, before?.updatedAt);
      if (before) {
        const changes = PROFILE_HISTORY_FIELDS.filter((f) => before[f] !== profile[f]).map((f) => ({ field: f, from: before[f], to: profile[f] }));
        if (changes.length > 0) history.push({ at, changes });
      }
      await db.profile.put({ id: 'local', ...profile, updatedAt: at, ...(history.length > 0 ? { history } : {}) });
      return profile;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Units

/** A unit as entered in settings; `order` defaults to the end of the list, `active` to true. */
export interface UnitInput {
  code: string;
  name: string;
  kind: UnitKind;
  order?: number;
  active?: boolean;
}
export type UnitField = 'code' | 'name' | 'kind' | 'order';
const UNIT_LABELS: Record<UnitField, string> = { code: '单位代码', name: '单位名称', kind: '单位类型', order: '排序' };
const UNIT_KINDS: readonly UnitKind[] = ['district', 'zone', 'city'];

/** Why an official's rename of a unit is refused (the settings screen shows the same reason). */
export const UNIT_RENAME_FORBIDDEN = '只有市级督办可以修改单位名称：单位名称全市统一，报告按名称汇总。本机的个人信息为区级经办人，未作修改。';

/** Units in list order (inactive ones too unless `activeOnly`). */
export async function listUnits(db: PilotDb, options: { activeOnly?: boolean } = {}): Promise<Unit[]> {
  const units = await db.units.orderBy('order').toArray();
  return options.activeOnly ? units.filter((u) => u.active) : units;
}

/**
 * Adds a unit or changes one. `create`: the code must be new (use it in the "add unit" form, so a
 * typo cannot overwrite another unit); `update`: the code must exist; `upsert`: either. Only name,
 * kind, order and active change: codes never change once saved, as bundles and revisions refer to
 * them. Names are unique too, as reports group by name.
 */
export async function saveUnit(db: PilotDb, input: UnitInput, mode: 'create' | 'update' | 'upsert' = 'upsert'): Promise<FormResult<Unit, UnitField>> {
  const code = typeof input.code === 'string' ? input.code.trim() : '';
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  const errors: Partial<Record<UnitField, string>> = {};
  if (!UNIT_CODE_PATTERN.test(code)) errors.code = '单位代码须为 2–16 位大写字母或数字（区县用 GB/T 2260 行政区划代码，如 320102）';
  if (!name) errors.name = '请填写单位名称';
  else if (name.length > 30) errors.name = '单位名称不超过 30 字';
  if (!UNIT_KINDS.includes(input.kind)) errors.kind = '请选择单位类型';
  if (input.order !== undefined && (!Number.isInteger(input.order) || input.order < 0)) errors.order = '排序须为非负整数';
  if (hasErrors(errors)) return invalid('unit.invalid', errors, UNIT_LABELS);

  const outcome = await write<Unit | { error: Partial<Record<UnitField, string>> } | 'missing' | 'rename', UnitField>('保存单位', () =>
    db.transaction('rw', [db.units, db.profile], async () => {
      const all = await db.units.toArray();
      const existing = all.find((u) => u.code === code);
      if (mode === 'create' && existing) return { error: { code: `单位代码 ${code} 已被「${existing.name}」使用，代码一经保存不能重复使用` } };
      if (mode === 'update' && !existing) return 'missing';
      // Unit names are the city's list: reports group by them and every machine should agree.
      if (existing && existing.name !== name && (await db.profile.get('local'))?.role !== 'supervisor') return 'rename';
      const sameName = all.find((u) => u.code !== code && u.name === name);
      if (sameName) return { error: { name: `已有名为「${name}」的单位（代码 ${sameName.code}）` } };
      const unit: Unit = {
        code,
        name,
        kind: input.kind,
        order: input.order ?? existing?.order ?? all.reduce((m, u) => Math.max(m, u.order), 0) + 1,
        active: input.active ?? existing?.active ?? true,
      };
      await db.units.put(unit);
      return unit;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'missing') return failure('unit.not_found', `单位代码 ${code} 不存在，无法修改。`);
  if (outcome.value === 'rename') return failure('unit.rename_forbidden', UNIT_RENAME_FORBIDDEN);
  if ('error' in outcome.value) return invalid('unit.invalid', outcome.value.error, UNIT_LABELS);
  return success(outcome.value);
}

/**
 * Shows or hides a unit in pickers. Its annotations stay. A person cannot deactivate their own unit
 * (they would no longer see what they edit).
 */
export async function setUnitActive(db: PilotDb, code: string, active: boolean): Promise<FormResult<Unit>> {
  const outcome = await write<Unit | 'missing' | 'own', string>('保存单位', () =>
    db.transaction('rw', [db.units, db.profile], async () => {
      const unit = await db.units.get(code);
      if (!unit) return 'missing';
      if (!active && (await db.profile.get('local'))?.unitCode === code) return 'own';
      const next = { ...unit, active };
      await db.units.put(next);
      return next;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'missing') return failure('unit.not_found', `单位代码 ${code} 不存在。`);
  if (outcome.value === 'own') return failure('unit.own', '不能停用本人所在单位；如需停用，请先在个人信息中更换所在单位。');
  return success(outcome.value);
}

// ---------------------------------------------------------------------------------------------
// Annotations and revisions

/** The editable fields of an annotation-like object, deep-copied, nothing else. */
export function fieldsOf(source: AnnotationFields): AnnotationFields {
  const out = {} as Record<FieldName, unknown>;
  for (const f of FIELD_NAMES) {
    // A write-up is stored only when there is one (absent = none), as in bundles and merge ids.
    if (f === 'caseStudy') {
      const c = caseStudyOf(source);
      if (c) out.caseStudy = structuredClone(c);
    } else out[f] = structuredClone(source[f]);
  }
  return out as unknown as AnnotationFields;
}

/**
 * The message at a field whose value has the wrong type (input may come from a draft journal or an
 * old build). One per field, so a field added to the schema must say how it is refused.
 */
const TYPE_MESSAGES = {
  status: `${FIELD_LABELS.status}的数据格式无效`,
  progress: '进度须为 0 到 100 之间的整数',
  leadUnits: `${FIELD_LABELS.leadUnits}的数据格式无效`,
  partnerUnits: `${FIELD_LABELS.partnerUnits}的数据格式无效`,
  deadline: '完成时限须为有效日期（如 2025-12-31）',
  progressNotes: `${FIELD_LABELS.progressNotes}的数据格式无效`,
  results: `${FIELD_LABELS.results}的数据格式无效`,
  problems: `${FIELD_LABELS.problems}的数据格式无效`,
  nextSteps: `${FIELD_LABELS.nextSteps}的数据格式无效`,
  isInnovation: `${FIELD_LABELS.isInnovation}的数据格式无效`,
  isBestPractice: `${FIELD_LABELS.isBestPractice}的数据格式无效`,
  caseStudy: `${FIELD_LABELS.caseStudy}的数据格式无效`,
} satisfies Record<FieldName, string>;

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);

/** Is the issue about the JavaScript type of the value (not about a rule its value breaks)? */
function isTypeIssue(issue: ZodIssue, root: unknown): boolean {
  const value = valueAt(root, issue.path);
  if (issue.code === 'unrecognized_keys') return true;
  // z.int() reports 2.5 as a type issue; for the person it is a progress outside the rule.
  if (issue.code === 'invalid_type') return !(issue.expected === 'int' && typeof value === 'number');
  if (issue.code === 'invalid_value') return typeof value !== 'string';
  return false;
}

/**
 * Every problem with a set of fields, keyed by field, from the fields' schema (the one bundles are
 * checked with, so whatever is saved can be exported and imported). Wrong types first, alone;
 * then the app's own wording of its rules (`validateFields`), then the schema's own messages (rich
 * text, control characters, lengths) for what those do not cover.
 */
export async function checkAnnotationFields(f: AnnotationFields): Promise<Partial<Record<FieldName, string>>> {
  const { formFieldsSchema, zhErrors } = await recordSchemas();
  const r = formFieldsSchema.safeParse(f, { error: zhErrors });
  if (r.success) return validateFields(r.data);
  const fieldOf = (issue: ZodIssue): FieldName | null => {
    const k = issue.path[0];
    return typeof k === 'string' && k in TYPE_MESSAGES ? (k as FieldName) : null;
  };
  const typeErrors: Partial<Record<FieldName, string>> = {};
  for (const issue of r.error.issues) {
    const k = fieldOf(issue);
    if (k && isTypeIssue(issue, f)) typeErrors[k] = TYPE_MESSAGES[k];
  }
  if (hasErrors(typeErrors)) return typeErrors;
  const errors = validateFields(f);
  for (const issue of r.error.issues) {
    const k = fieldOf(issue);
    if (k) errors[k] ??= issue.message;
  }
  return errors;
}

/** The current annotation of a task in a unit, or undefined if nobody has written one. */
export async function getAnnotation(db: PilotDb, taskId: string, unitCode: string): Promise<Annotation | undefined> {
  return db.annotations.get(annotationKey(taskId, unitCode));
}

/**
 * Every annotation, log entry and evidence row, deleted ones included (the report model leaves
 * them out itself): what a report or the case collection is built from.
 */
export async function readReportRows(db: PilotDb): Promise<{ annotations: Annotation[]; logEntries: LogEntry[]; evidence: Evidence[] }> {
  const [annotations, logEntries, evidence] = await Promise.all([db.annotations.toArray(), db.logEntries.toArray(), db.evidence.toArray()]);
  return { annotations, logEntries, evidence };
}

/** How many annotations there are (all units). */
export function countAnnotations(db: PilotDb): Promise<number> {
  return db.annotations.count();
}

/** Current annotations, of one unit or one task, or all. */
export async function listAnnotations(db: PilotDb, filter: { unitCode?: string; taskId?: string } = {}): Promise<Annotation[]> {
  if (filter.unitCode !== undefined) {
    const rows = await db.annotations.where('unitCode').equals(filter.unitCode).toArray();
    return filter.taskId === undefined ? rows : rows.filter((a) => a.taskId === filter.taskId);
  }
  if (filter.taskId !== undefined) return db.annotations.where('taskId').equals(filter.taskId).toArray();
  return db.annotations.toArray();
}

/** A save that wrote a revision, or one that found nothing to change (no revision written). */
export type SaveAnnotationValue =
  | { annotation: Annotation; revision: Revision }
  | { unchanged: true; annotation: Annotation | null };

export interface SaveAnnotationOptions {
  /**
   * The person chose the status on a task without an annotation: the blank form (未启动) is saved
   * as the first revision — "checked, not started" — instead of counting as nothing to save.
   */
  recordBlank?: boolean;
}

/**
 * Saves the fields of a task's annotation in a unit. Invalid fields → `annotation.invalid` with a
 * message per field, nothing written. Fields equal to the current ones (or, with no annotation
 * yet, to the empty form, unless `recordBlank`) → `{ unchanged: true }`, nothing written. Otherwise one transaction
 * appends a revision (parents: the previous head) and makes it the annotation's head.
 */
export async function saveAnnotation(
  db: PilotDb,
  taskId: string,
  unitCode: string,
  fields: AnnotationFields,
  author: Author,
  now: Date = new Date(),
  options: SaveAnnotationOptions = {},
): Promise<FormResult<SaveAnnotationValue, FieldName>> {
  const errors = await checkAnnotationFields(fields);
  if (hasErrors(errors)) return invalid('annotation.invalid', errors, FIELD_LABELS);
  const refError = checkRef(taskId, unitCode);
  if (refError) return refError;
  const next = fieldsOf(fields);
  const key = annotationKey(taskId, unitCode);

  const outcome = await write<SaveAnnotationValue | 'unknown_unit', FieldName>('保存', () =>
    db.transaction('rw', [db.annotations, db.revisions, db.units, db.meta], async () => {
      const current = await db.annotations.get(key);
      if (!current) {
        if (!(await db.units.get(unitCode))) return 'unknown_unit';
        if (!options.recordBlank && sameValue(next, emptyFields())) return { unchanged: true, annotation: null };
      }
      const changed = changedFields(current ? fieldsOf(current) : null, next);
      if (current && changed.length === 0) return { unchanged: true, annotation: current };
      const [window, shares] = await Promise.all([db.meta.get(openWindowKey(key)), readShareCount(db.meta)]);
      const amended = current && mayAmend(window, current.head, author, now, shares) ? await amend(db, current, next, author, now) : null;
      const saved = amended ?? (await commit(db, { key, taskId, unitCode, current, fields: next, changed, author, now, kind: 'edit' }));
      await db.meta.put(openWindowRow(key, saved.revision.id, author, now, shares));
      return saved;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'unknown_unit') return unknownUnit(unitCode);
  return success(outcome.value);
}

/** Appends a revision and moves the annotation's head to it. Call inside a rw transaction. */
async function commit(
  db: PilotDb,
  p: {
    key: string;
    taskId: string;
    unitCode: string;
    current: Annotation | undefined;
    fields: AnnotationFields;
    changed: FieldName[];
    author: Author;
    now: Date;
    kind: 'edit' | 'restore' | 'check';
    restoredFrom?: string;
  },
): Promise<{ annotation: Annotation; revision: Revision }> {
  const at = stamp(p.now, p.current?.updatedAt);
  const revision: Revision = {
    id: crypto.randomUUID(),
    key: p.key,
    taskId: p.taskId,
    unitCode: p.unitCode,
    parents: p.current ? [p.current.head] : [],
    author: authorOf(p.author),
    at,
    kind: p.kind,
    changed: p.changed,
    fields: p.fields,
    ...(p.restoredFrom ? { restoredFrom: p.restoredFrom } : {}),
  };
  const annotation: Annotation = {
    ...p.fields,
    key: p.key,
    taskId: p.taskId,
    unitCode: p.unitCode,
    head: revision.id,
    updatedAt: at,
    updatedBy: authorOf(p.author),
  };
  await db.revisions.add(revision);
  await db.annotations.put(annotation);
  return { annotation, revision };
}

/**
 * Amends the open head revision of `current` (see shared/services/revisionWindow.ts) with `fields`:
 * same id and parents, the new fields, time and author, `changed` against its parent. Only an edit
 * revision is amended; null otherwise (the caller then appends one). Call inside a rw transaction.
 */
async function amend(
  db: PilotDb,
  current: Annotation,
  fields: AnnotationFields,
  author: Author,
  now: Date,
): Promise<{ annotation: Annotation; revision: Revision } | null> {
  const head = await db.revisions.get(current.head);
  if (!head || head.kind !== 'edit' || head.parents.length > 1) return null;
  const parent = head.parents.length ? await db.revisions.get(head.parents[0]!) : undefined;
  if (head.parents.length && !parent) return null;
  const at = stamp(now, current.updatedAt);
  const revision: Revision = { ...head, author: authorOf(author), at, changed: changedFields(parent ? parent.fields : null, fields), fields };
  const annotation: Annotation = { ...fields, key: current.key, taskId: current.taskId, unitCode: current.unitCode, head: revision.id, updatedAt: at, updatedBy: authorOf(author) };
  await db.revisions.put(revision);
  await db.annotations.put(annotation);
  return { annotation, revision };
}

/**
 * Closes the working window of annotation `key` (the person left the task): the next save adds a
 * revision instead of amending the open one.
 */
export async function closeRevisionWindow(db: PilotDb, key: string): Promise<void> {
  await db.meta.delete(openWindowKey(key));
}

/**
 * Every revision of an annotation, newest first. Ties in time (same millisecond, or clocks that
 * disagree across merged bundles) are broken by ancestry: a revision comes before its parents.
 */
export async function listRevisions(db: PilotDb, key: string): Promise<Revision[]> {
  const revs = await db.revisions.where('key').equals(key).toArray();
  const byId = new Map(revs.map((r) => [r.id, r]));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    depth.set(id, 0); // guards against a (corrupt) cycle
    const r = byId.get(id);
    const d = r ? 1 + Math.max(0, ...r.parents.map((p) => (byId.has(p) ? depthOf(p) : 0))) : 0;
    depth.set(id, d);
    return d;
  };
  return revs.sort((a, b) => (a.at === b.at ? depthOf(b.id) - depthOf(a.id) : a.at < b.at ? 1 : -1));
}

/** One field that differs between two revisions, ready to show. */
export interface FieldDiff {
  field: FieldName;
  /** 中文 field name */
  label: string;
  /** Display text before / after: labels for status, "60%", units joined with 、, rich text as plain text, 是/否. */
  before: string;
  after: string;
  beforeValue: AnnotationFields[FieldName];
  afterValue: AnnotationFields[FieldName];
  /** Rich text only: the words are the same, only formatting or structure changed. */
  formattingOnly: boolean;
}

/** How a field's value reads in the history view and in reports. */
export function displayValue(field: FieldName, fields: AnnotationFields): string {
  switch (field) {
    case 'status':
      return STATUS_LABELS[fields.status] ?? String(fields.status);
    case 'progress':
      return `${fields.progress}%`;
    case 'leadUnits':
    case 'partnerUnits':
      return fields[field].join('、');
    case 'deadline':
      // A date reads as 2025年6月30日; text that is not one (never stored: refused) as it is.
      return fields.deadline ? cnDate(fields.deadline) || fields.deadline : '';
    case 'progressNotes':
      return plainText(fields.progressNotes);
    case 'isInnovation':
    case 'isBestPractice':
      return fields[field] ? '是' : '否';
    case 'caseStudy': {
      const c = caseStudyOf(fields);
      return c ? CASE_STUDY_PARTS.filter((k) => c[k].trim()).map((k) => `${CASE_STUDY_LABELS[k]}：${c[k].trim()}`).join('\n') : '';
    }
    default:
      return fields[field];
  }
}

const fieldsFrom = (x: Revision | AnnotationFields): AnnotationFields => ('fields' in x && 'parents' in x ? x.fields : x);

/**
 * The fields that differ from `a` to `b`, in form order. `a` null means "before anything was
 * written" (the empty form). Rich text is compared by structure; `formattingOnly` says whether the
 * words changed at all.
 */
export function diffRevisions(a: Revision | AnnotationFields | null, b: Revision | AnnotationFields): FieldDiff[] {
  const before = a ? fieldsFrom(a) : emptyFields();
  const after = fieldsFrom(b);
  return FIELD_NAMES.filter((f) => !sameValue(fieldValue(before, f), fieldValue(after, f))).map((field) => {
    const bt = displayValue(field, before);
    const at = displayValue(field, after);
    return {
      field,
      label: FIELD_LABELS[field],
      before: bt,
      after: at,
      beforeValue: fieldValue(before, field),
      afterValue: fieldValue(after, field),
      formattingOnly: field === 'progressNotes' && bt === at,
    };
  });
}

/**
 * Makes an old revision's fields current again by writing a new revision (kind `restore`, parent
 * the current head). Nothing is deleted. Restoring what is already current writes nothing.
 */
export async function restoreRevision(
  db: PilotDb,
  key: string,
  revisionId: string,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<SaveAnnotationValue, FieldName>> {
  const old = await db.revisions.get(revisionId);
  if (!old || old.key !== key) return failure('revision.not_found', '找不到要恢复的历史版本，请刷新历史记录后重试。');
  const fields = fieldsOf(old.fields);
  const errors = await checkAnnotationFields(fields);
  if (hasErrors(errors)) {
    const r = invalid('annotation.invalid', errors, FIELD_LABELS);
    return { ...r, error: { ...r.error, message: `该历史版本不符合现行校验规则，无法直接恢复：${r.error.message}` } };
  }
  return write('恢复历史版本', () =>
    db.transaction('rw', [db.annotations, db.revisions], async () => {
      const current = await db.annotations.get(key);
      const changed = changedFields(current ? fieldsOf(current) : null, fields);
      if (current && changed.length === 0) return { unchanged: true as const, annotation: current };
      return commit(db, {
        key,
        taskId: old.taskId,
        unitCode: old.unitCode,
        current,
        fields,
        changed,
        author,
        now,
        kind: 'restore',
        restoredFrom: old.id,
      });
    }),
  );
}

/**
 * Saves the 典型案例 write-up of an existing annotation, leaving every other field as stored (read
 * and written in one transaction, so a write-up never overwrites a newer status or note). Blank
 * parts everywhere = no write-up (null). Invalid → `annotation.invalid` (message on `caseStudy`),
 * nothing written; no annotation → `annotation.not_found`; unchanged → `{ unchanged: true }`.
 */
export async function saveCaseStudy(
  db: PilotDb,
  key: string,
  caseStudy: CaseStudy | null,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<SaveAnnotationValue, FieldName>> {
  const c = caseStudy === null ? null : caseStudyOf({ caseStudy });
  const errors = validateCaseStudy(c);
  if (hasErrors(errors)) return invalid('annotation.invalid', { caseStudy: Object.values(errors).join('；') }, FIELD_LABELS);
  const outcome = await write<SaveAnnotationValue | 'not_found', FieldName>('保存典型案例', () =>
    db.transaction('rw', [db.annotations, db.revisions], async () => {
      const current = await db.annotations.get(key);
      if (!current) return 'not_found';
      const { caseStudy: _old, ...rest } = fieldsOf(current);
      const fields: AnnotationFields = c ? { ...rest, caseStudy: structuredClone(c) } : rest;
      const changed = changedFields(fieldsOf(current), fields);
      if (changed.length === 0) return { unchanged: true, annotation: current };
      return commit(db, { key, taskId: current.taskId, unitCode: current.unitCode, current, fields, changed, author, now, kind: 'edit' });
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'not_found') return failure('annotation.not_found', '找不到该任务的批注，可能已被导入的数据替换，请刷新后重试。');
  return success(outcome.value);
}

/**
 * Saves some fields of a task's annotation (a cell of the 本月更新 grid), leaving every other field as
 * stored: read and written in one transaction, so a cell never overwrites a newer note. A task
 * without an annotation starts from the empty form. Invalid → `annotation.invalid` with the
 * field's message, nothing written; equal to what is stored → `{ unchanged: true }`.
 */
export async function saveAnnotationPatch(
  db: PilotDb,
  taskId: string,
  unitCode: string,
  patch: Partial<AnnotationFields>,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<SaveAnnotationValue, FieldName>> {
  const refError = checkRef(taskId, unitCode);
  if (refError) return refError;
  const key = annotationKey(taskId, unitCode);
  const unknownKeys = Object.keys(patch).filter((k) => !(FIELD_NAMES as readonly string[]).includes(k));
  if (unknownKeys.length) return failure('annotation.invalid', '要保存的字段无效。', unknownKeys.join(','));
  // Checked against what is stored now; checked again (the app's rules) on what is stored when writing.
  const before = await db.annotations.get(key);
  const errors = await checkAnnotationFields({ ...(before ? fieldsOf(before) : emptyFields()), ...patch });
  if (hasErrors(errors)) return invalid('annotation.invalid', errors, FIELD_LABELS);
  const outcome = await write<SaveAnnotationValue | 'unknown_unit' | Partial<Record<FieldName, string>>, FieldName>('保存', () =>
    db.transaction('rw', [db.annotations, db.revisions, db.units], async () => {
      const current = await db.annotations.get(key);
      if (!current && !(await db.units.get(unitCode))) return 'unknown_unit';
      const next = fieldsOf({ ...(current ? fieldsOf(current) : emptyFields()), ...structuredClone(patch) });
      const ruleErrors = validateFields(next);
      if (hasErrors(ruleErrors)) return ruleErrors;
      if (!current && sameValue(next, emptyFields())) return { unchanged: true, annotation: null };
      const changed = changedFields(current ? fieldsOf(current) : null, next);
      if (current && changed.length === 0) return { unchanged: true, annotation: current };
      return commit(db, { key, taskId, unitCode, current, fields: next, changed, author, now, kind: 'edit' });
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'unknown_unit') return unknownUnit(unitCode);
  if (!('annotation' in outcome.value)) return invalid('annotation.invalid', outcome.value, FIELD_LABELS);
  return success(outcome.value);
}

/** What a unit did on each task in the current Beijing month: its latest edit and latest 本月已核实. */
export interface MonthActivity {
  /** `2026-12` */
  month: string;
  byTask: Map<string, { editedAt: string | null; checkedAt: string | null; checkedBy: string | null }>;
}

/** The unit's revisions since the start of this Beijing month, by task (`kind: check` apart from the rest). */
export async function readMonthActivity(db: PilotDb, unitCode: string, now: Date = new Date()): Promise<MonthActivity> {
  const { month, start } = chinaMonth(now);
  const byTask: MonthActivity['byTask'] = new Map();
  await db.revisions
    .where('at')
    .aboveOrEqual(start)
    .filter((r) => r.unitCode === unitCode)
    .each((r) => {
      const e = byTask.get(r.taskId) ?? { editedAt: null, checkedAt: null, checkedBy: null };
      if (r.kind === 'check') {
        if (!e.checkedAt || r.at > e.checkedAt) Object.assign(e, { checkedAt: r.at, checkedBy: r.author.name });
      } else if (!e.editedAt || r.at > e.editedAt) e.editedAt = r.at;
      byTask.set(r.taskId, e);
    });
  return { month, byTask };
}

/**
 * Records 本月已核实 on a task: the person looked at it this month and it stands as stored (also a
 * task nobody has annotated: "未启动, checked" — its first revision is the empty form). Writes a
 * revision of kind `check` that changes no field and moves the head to it, so it travels in bundles
 * and merges like any edit. Once a month: a task already checked this Beijing month writes nothing
 * (`{ unchanged: true }`); a record is never taken back.
 */
export async function recordCheck(
  db: PilotDb,
  taskId: string,
  unitCode: string,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<SaveAnnotationValue, FieldName>> {
  const refError = checkRef(taskId, unitCode);
  if (refError) return refError;
  const key = annotationKey(taskId, unitCode);
  const { start } = chinaMonth(now);
  const outcome = await write<SaveAnnotationValue | 'unknown_unit', FieldName>('记录本月核实', () =>
    db.transaction('rw', [db.annotations, db.revisions, db.units], async () => {
      const current = await db.annotations.get(key);
      if (!current && !(await db.units.get(unitCode))) return 'unknown_unit';
      const checked = await db.revisions
        .where('key')
        .equals(key)
        .filter((r) => r.kind === 'check' && r.at >= start)
        .first();
      if (checked) return { unchanged: true, annotation: current ?? null };
      const fields = current ? fieldsOf(current) : emptyFields();
      const changed = current ? [] : changedFields(null, fields);
      return commit(db, { key, taskId, unitCode, current, fields, changed, author, now, kind: 'check' });
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'unknown_unit') return unknownUnit(unitCode);
  return success(outcome.value);
}

// ---------------------------------------------------------------------------------------------
// Log entries (进展记录)

export interface LogEntryInput {
  taskId: string;
  unitCode: string;
  /** The day the note is about (ISO date). */
  date: string;
  body: RichDoc;
}
export type LogEntryField = 'date' | 'body';
const LOG_LABELS: Record<LogEntryField, string> = { date: '日期', body: '进展内容' };

/** One year after an ISO date, as an ISO date (string compare is enough for the limit). */
const oneYearAfter = (iso: string): string => `${Number(iso.slice(0, 4)) + 1}${iso.slice(4)}`;

/** Problem with a date of a dated record (log entry, evidence), or null. */
function dateError(date: unknown, today: string, notBeforePlan: boolean): string | null {
  if (typeof date !== 'string' || !isIsoDate(date)) return '日期须为有效日期（如 2024-06-30）';
  if (notBeforePlan && date < PLAN_DATE) return '日期不能早于方案印发日期 2022年12月29日';
  if (date > oneYearAfter(today)) return '日期不能晚于一年以后';
  return null;
}

function logErrors(p: Partial<Pick<LogEntryInput, 'date' | 'body'>>, today: string): Partial<Record<LogEntryField, string>> {
  const errors: Partial<Record<LogEntryField, string>> = {};
  if ('date' in p) {
    const e = dateError(p.date, today, true);
    if (e) errors.date = e;
  }
  if ('body' in p) {
    const e = validateRichDoc(p.body);
    if (e) errors.body = e;
    else if (isEmptyDoc(p.body)) errors.body = '请填写进展内容';
  }
  return errors;
}

/** Adds a dated note to a task's timeline in a unit. */
export async function addLogEntry(
  db: PilotDb,
  input: LogEntryInput,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<LogEntry, LogEntryField>> {
  const errors = logErrors({ date: input.date, body: input.body }, chinaToday(now));
  if (hasErrors(errors)) return invalid('log.invalid', errors, LOG_LABELS);
  const refError = checkRef(input.taskId, input.unitCode);
  if (refError) return refError;
  const at = now.toISOString();
  const entry: LogEntry = {
    id: crypto.randomUUID(),
    taskId: input.taskId,
    unitCode: input.unitCode,
    date: input.date,
    body: structuredClone(input.body),
    author: authorOf(author),
    createdAt: at,
    updatedAt: at,
    deleted: false,
  };
  const outcome = await write<LogEntry | 'unknown_unit', LogEntryField>('保存进展记录', () =>
    db.transaction('rw', [db.logEntries, db.units], async () => {
      if (!(await db.units.get(input.unitCode))) return 'unknown_unit';
      await db.logEntries.add(entry);
      return entry;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'unknown_unit') return unknownUnit(input.unitCode);
  return success(outcome.value);
}

/**
 * Changes the date and/or body of a note. `author` becomes the note's author: the row is merged
 * whole (newer `updatedAt` wins), so it names who wrote the version that is kept.
 */
export async function updateLogEntry(
  db: PilotDb,
  id: string,
  patch: Partial<Pick<LogEntryInput, 'date' | 'body'>>,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<LogEntry, LogEntryField>> {
  const clean: Partial<Pick<LogEntryInput, 'date' | 'body'>> = {};
  if (patch.date !== undefined) clean.date = patch.date;
  if (patch.body !== undefined) clean.body = structuredClone(patch.body);
  const errors = logErrors(clean, chinaToday(now));
  if (hasErrors(errors)) return invalid('log.invalid', errors, LOG_LABELS);
  return changeLogEntry(db, id, (e) => ({ ...e, ...clean, author: authorOf(author), updatedAt: stamp(now, e.updatedAt) }), false);
}

/** Deletes a note by marking it (a tombstone, so that merging an older bundle does not revive it). */
export async function deleteLogEntry(db: PilotDb, id: string, author: Author, now: Date = new Date()): Promise<FormResult<LogEntry, LogEntryField>> {
  return changeLogEntry(db, id, (e) => ({ ...e, deleted: true, author: authorOf(author), updatedAt: stamp(now, e.updatedAt) }), true);
}

/** Rewrites a live note; a deleted one counts as missing, except that deleting it again is a no-op. */
async function changeLogEntry(
  db: PilotDb,
  id: string,
  change: (e: LogEntry) => LogEntry,
  deleting: boolean,
): Promise<FormResult<LogEntry, LogEntryField>> {
  const outcome = await write<LogEntry | 'missing', LogEntryField>(deleting ? '删除进展记录' : '保存进展记录', () =>
    db.transaction('rw', db.logEntries, async () => {
      const e = await db.logEntries.get(id);
      if (!e) return 'missing';
      if (e.deleted) return deleting ? e : 'missing';
      const next = change(e);
      await db.logEntries.put(next);
      return next;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'missing') return failure('log.not_found', '这条进展记录已不存在（可能已被删除），请刷新后重试。');
  return success(outcome.value);
}

const byDateDesc = (a: LogEntry, b: LogEntry): number =>
  a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : 0;

/** The timeline of a task in a unit: newest date first (then newest written first), deleted hidden. */
export async function listLogEntries(db: PilotDb, taskId: string, unitCode: string): Promise<LogEntry[]> {
  const rows = await db.logEntries.where('[taskId+unitCode]').equals([taskId, unitCode]).toArray();
  return rows.filter((e) => !e.deleted).sort(byDateDesc);
}

/** Every live note (of one unit, or all), e.g. to build the search index. */
export async function listAllLogEntries(db: PilotDb, filter: { unitCode?: string } = {}): Promise<LogEntry[]> {
  const rows = await db.logEntries.toArray();
  return rows.filter((e) => !e.deleted && (filter.unitCode === undefined || e.unitCode === filter.unitCode)).sort(byDateDesc);
}

// ---------------------------------------------------------------------------------------------
// Evidence (佐证材料) and attachments

export interface EvidenceInput {
  taskId: string;
  unitCode: string;
  title: string;
  kind: EvidenceKind;
  /** 文号, may be empty. */
  docNumber: string;
  /** ISO date or null. */
  date: string | null;
}
/** A file the person chose: its name and bytes (from main's open dialog, or a File). Its type is read from the bytes. */
export interface EvidenceFile {
  name: string;
  bytes: Uint8Array | Blob;
}
export type EvidenceField = 'title' | 'kind' | 'docNumber' | 'date' | 'file';
const EVIDENCE_LABELS: Record<EvidenceField, string> = { title: '材料名称', kind: '材料类型', docNumber: '文号', date: '日期', file: '附件' };

type EvidenceMeta = Pick<EvidenceInput, 'title' | 'kind' | 'docNumber' | 'date'>;

async function evidenceErrors(p: Partial<EvidenceMeta>, today: string): Promise<Partial<Record<EvidenceField, string>>> {
  const errors: Partial<Record<EvidenceField, string>> = {};
  if ('title' in p) {
    if (typeof p.title !== 'string' || !p.title.trim()) errors.title = '请填写材料名称';
    else if (p.title.length > 200) errors.title = '材料名称不超过 200 字';
  }
  if ('kind' in p && !(EVIDENCE_KINDS as readonly unknown[]).includes(p.kind)) errors.kind = '请选择材料类型';
  if ('docNumber' in p && (typeof p.docNumber !== 'string' || p.docNumber.length > 100)) errors.docNumber = '文号不超过 100 字';
  if ('date' in p && p.date !== null) {
    const e = dateError(p.date, today, false);
    if (e) errors.date = e;
  }
  // Then the schema evidence is exported and imported with (e.g. no control characters), so a
  // saved record always fits in a bundle; the rules above word the common cases.
  const { evidenceSchema, zhErrors } = await recordSchemas();
  for (const k of ['title', 'kind', 'docNumber', 'date'] as const) {
    if (!(k in p) || errors[k]) continue;
    const r = evidenceSchema.shape[k].safeParse(p[k], { error: zhErrors });
    if (!r.success) errors[k] = r.error.issues[0]!.message;
  }
  return errors;
}

/** Uint8Array test that also holds across realms (bytes from IPC, a worker or jsdom), unlike instanceof. */
const isBytes = (b: Uint8Array | Blob): b is Uint8Array => ArrayBuffer.isView(b);

const byteSize = (b: Uint8Array | Blob): number => (isBytes(b) ? b.byteLength : b.size);

/** Checks a chosen file without reading it: the size cap comes first, so a huge file is never read. */
function fileError(file: EvidenceFile): string | null {
  const size = byteSize(file.bytes);
  if (size > MAX_ATTACHMENT_BYTES) return '附件超过 25 MB 上限';
  if (size === 0) return '附件是空文件，请重新选择';
  if (!baseName(file.name)) return '附件缺少文件名';
  return null;
}

/**
 * The last path segment of a file name, normalised as every stored evidence name is (no bidi or
 * zero-width characters, no trailing dots, no device names: normaliseFileName); '' when nothing is left.
 */
const baseName = (name: unknown): string => {
  const last = typeof name === 'string' ? (name.split(/[\\/]/).pop() ?? '').trim() : '';
  // Empty stays empty (the form says 附件缺少文件名); plainFileName would name it 'attachment'.
  return last === '' ? '' : plainFileName(last);
};

/**
 * Reads and hashes a file, outside any transaction. Its type is what its bytes are (mimeOf), never
 * what its name or the caller says; a name that claims another viewable type than the bytes have
 * (a 「.pdf」 that is a web page) is refused with a sentence saying so, as verification refuses it
 * in a colleague's bundle.
 */
async function prepareAttachment(file: EvidenceFile, now: Date): Promise<AttachmentRecord | string> {
  const raw = isBytes(file.bytes) ? file.bytes : new Uint8Array(await file.bytes.arrayBuffer());
  // A view of this realm over the same memory (no copy), unless the memory is shared.
  const bytes: Uint8Array<ArrayBuffer> =
    Object.prototype.toString.call(raw.buffer) === '[object ArrayBuffer]'
      ? new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength)
      : new Uint8Array(raw);
  const name = baseName(file.name);
  const contradiction = declaredTypeContradiction(name, null, bytes);
  if (contradiction) return `附件「${name}」${contradiction}，请确认文件后重新选择`;
  const mime = mimeOf(bytes);
  const blob = new Blob([isBytes(file.bytes) ? bytes : file.bytes], { type: mime });
  return { hash: await sha256HexAsync(bytes), name, mime, size: bytes.byteLength, blob, addedAt: now.toISOString() };
}

/** Stores the file unless a file with the same hash is already there. Inside a rw transaction. */
async function storeAttachment(db: PilotDb, a: AttachmentRecord): Promise<void> {
  if (!(await db.attachments.get(a.hash))) await db.attachments.add(a);
}

/**
 * Adds a piece of evidence, optionally with a file (≤ 25 MB). The file is hashed before the
 * transaction; identical files are stored once.
 */
export async function addEvidence(
  db: PilotDb,
  input: EvidenceInput,
  file: EvidenceFile | null | undefined,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<Evidence, EvidenceField>> {
  const errors: Partial<Record<EvidenceField, string>> = {};
  const fe = file ? fileError(file) : null;
  if (fe) errors.file = fe;
  Object.assign(errors, await evidenceErrors({ title: input.title, kind: input.kind, docNumber: input.docNumber, date: input.date }, chinaToday(now)));
  if (hasErrors(errors)) return invalid('evidence.invalid', errors, EVIDENCE_LABELS);
  const refError = checkRef(input.taskId, input.unitCode);
  if (refError) return refError;

  const prepared = file ? await prepareAttachment(file, now) : null;
  if (typeof prepared === 'string') return invalid('evidence.invalid', { file: prepared }, EVIDENCE_LABELS);
  const attachment = prepared;
  const at = now.toISOString();
  const evidence: Evidence = {
    id: crypto.randomUUID(),
    taskId: input.taskId,
    unitCode: input.unitCode,
    title: input.title.trim(),
    kind: input.kind,
    docNumber: input.docNumber.trim(),
    date: input.date,
    attachmentHash: attachment?.hash ?? null,
    fileName: attachment?.name ?? null,
    mime: attachment?.mime ?? null,
    size: attachment?.size ?? null,
    author: authorOf(author),
    createdAt: at,
    updatedAt: at,
    deleted: false,
  };
  const outcome = await write<Evidence | 'unknown_unit', EvidenceField>('保存佐证材料', () =>
    db.transaction('rw', [db.evidence, db.attachments, db.units], async () => {
      if (!(await db.units.get(input.unitCode))) return 'unknown_unit';
      if (attachment) await storeAttachment(db, attachment);
      await db.evidence.add(evidence);
      return evidence;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'unknown_unit') return unknownUnit(input.unitCode);
  return success(outcome.value);
}

/**
 * Changes a piece of evidence. `file`: undefined keeps the attached file, null detaches it, a file
 * replaces it. Files are never deleted from `attachments` (other rows, revisions of merged bundles
 * or an import undo may still refer to them). `author` becomes the row's author (see updateLogEntry).
 */
export async function updateEvidence(
  db: PilotDb,
  id: string,
  patch: Partial<EvidenceMeta>,
  file: EvidenceFile | null | undefined,
  author: Author,
  now: Date = new Date(),
): Promise<FormResult<Evidence, EvidenceField>> {
  const clean: Partial<EvidenceMeta> = {};
  if (patch.title !== undefined) clean.title = patch.title;
  if (patch.kind !== undefined) clean.kind = patch.kind;
  if (patch.docNumber !== undefined) clean.docNumber = patch.docNumber;
  if (patch.date !== undefined) clean.date = patch.date;
  const errors: Partial<Record<EvidenceField, string>> = {};
  const fe = file ? fileError(file) : null;
  if (fe) errors.file = fe;
  Object.assign(errors, await evidenceErrors(clean, chinaToday(now)));
  if (hasErrors(errors)) return invalid('evidence.invalid', errors, EVIDENCE_LABELS);
  if (clean.title !== undefined) clean.title = clean.title.trim();
  if (clean.docNumber !== undefined) clean.docNumber = clean.docNumber.trim();

  const prepared = file ? await prepareAttachment(file, now) : null;
  if (typeof prepared === 'string') return invalid('evidence.invalid', { file: prepared }, EVIDENCE_LABELS);
  const attachment = prepared;
  const outcome = await write<Evidence | 'missing', EvidenceField>('保存佐证材料', () =>
    db.transaction('rw', [db.evidence, db.attachments], async () => {
      const e = await db.evidence.get(id);
      if (!e || e.deleted) return 'missing';
      const next: Evidence = { ...e, ...clean, author: authorOf(author), updatedAt: stamp(now, e.updatedAt) };
      if (attachment) {
        await storeAttachment(db, attachment);
        Object.assign(next, { attachmentHash: attachment.hash, fileName: attachment.name, mime: attachment.mime, size: attachment.size });
      } else if (file === null) {
        Object.assign(next, { attachmentHash: null, fileName: null, mime: null, size: null });
      }
      await db.evidence.put(next);
      return next;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'missing') return failure('evidence.not_found', '这条佐证材料已不存在（可能已被删除），请刷新后重试。');
  return success(outcome.value);
}

/** Deletes a piece of evidence by marking it (tombstone); its file stays in `attachments`. */
export async function deleteEvidence(db: PilotDb, id: string, author: Author, now: Date = new Date()): Promise<FormResult<Evidence, EvidenceField>> {
  const outcome = await write<Evidence | 'missing', EvidenceField>('删除佐证材料', () =>
    db.transaction('rw', db.evidence, async () => {
      const e = await db.evidence.get(id);
      if (!e) return 'missing';
      if (e.deleted) return e;
      const next: Evidence = { ...e, deleted: true, author: authorOf(author), updatedAt: stamp(now, e.updatedAt) };
      await db.evidence.put(next);
      return next;
    }),
  );
  if (!outcome.ok) return outcome;
  if (outcome.value === 'missing') return failure('evidence.not_found', '这条佐证材料已不存在，请刷新后重试。');
  return success(outcome.value);
}

/** Live evidence of a task in a unit, in the order it was added (附件 1, 2, …). */
export async function listEvidence(db: PilotDb, taskId: string, unitCode: string): Promise<Evidence[]> {
  const rows = await db.evidence.where('[taskId+unitCode]').equals([taskId, unitCode]).toArray();
  return rows.filter((e) => !e.deleted).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** Number of live evidence rows per annotation key (of one unit, or all), for the filters. */
export async function countEvidenceByKey(db: PilotDb, filter: { unitCode?: string } = {}): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await db.evidence.each((e) => {
    if (e.deleted || (filter.unitCode !== undefined && e.unitCode !== filter.unitCode)) return;
    const key = annotationKey(e.taskId, e.unitCode);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return counts;
}

/** A stored file by its sha-256, to open or export it. */
export async function getAttachment(db: PilotDb, hash: string): Promise<AttachmentRecord | undefined> {
  return db.attachments.get(hash);
}
