/**
 * The rules of the drafting screen, apart from its React: what a new draft starts from, the report
 * input a draft asks for, refreshing its figures (keeping "the author has not written here" true
 * across a refresh), regenerating a section, and the 素材 a draft may quote with their provenance.
 */
import type { Corpus } from '../../../../../src-main/shared/corpus/types';
import { caseStudyOf, type Annotation, type Evidence, type LogEntry, type Status, type Unit } from '../../../../../src-main/shared/domain';
import { EMPTY_FORM, type DraftSection, type ReportDraft } from '../../../../../src-main/shared/report/draft';
import { docFingerprint, figureText, generateDraft, refreshDoc } from '../../../../../src-main/shared/report/generate';
import type { ReportInput, ReportModel } from '../../../../../src-main/shared/report/model';
import { plainText, type RichDoc, type RichNode } from '../../../../../src-main/shared/richtext';
import type { NewDraft } from '../../../db/drafts';

export interface ReportRows {
  annotations: Annotation[];
  logEntries: LogEntry[];
  evidence: Evidence[];
}

/** What the report builder has chosen (a draft is made from it). */
export interface DraftChoices {
  kind: 'district' | 'city';
  scope: ReportDraft['scope'];
  asOf: string;
  signDate: string;
  title: string;
  issuer: string;
}

/** A new draft from the builder's choices, its sections the generated draft of `model`. */
export function newDraftFrom(choices: DraftChoices, model: ReportModel): NewDraft {
  return {
    kind: choices.kind,
    title: choices.title,
    scope: choices.scope,
    asOf: choices.asOf,
    issuer: choices.issuer,
    signDate: choices.signDate,
    form: { ...EMPTY_FORM },
    sections: generateDraft(model),
  };
}

/** The report input a draft asks for, over the current data (the figures' source). */
export function draftInput(draft: ReportDraft, units: Unit[], rows: ReportRows): Omit<ReportInput, 'corpus'> {
  return {
    kind: draft.kind,
    units,
    annotations: rows.annotations,
    logEntries: rows.logEntries,
    evidence: rows.evidence,
    scope: draft.scope,
    asOf: draft.asOf,
    title: draft.title,
    issuer: draft.issuer,
    signDate: draft.signDate,
    form: draft.form,
    draft: { sections: draft.sections },
  };
}

/** The author has written in this section since it was last generated. */
export const authorChanged = (s: DraftSection): boolean => docFingerprint(s.doc) !== s.generated;

function figureTexts(doc: RichDoc): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (n: RichNode) => {
    if (n.type === 'figure') out.set(String(n.attrs?.key ?? ''), String(n.attrs?.text ?? ''));
    n.content?.forEach(walk);
  };
  doc.content.forEach(walk);
  return out;
}

export interface Refreshed {
  sections: DraftSection[];
  /** Figure key → its text before, for every figure whose text changed. */
  changed: Map<string, string>;
  /** Sections with a changed figure (their editors take the new doc). */
  sectionKeys: Set<DraftSection['key']>;
}

/**
 * Every figure set to the model's value. A section the author had not touched stays untouched in
 * that sense: its `generated` follows the refreshed doc, so regenerating it later does not ask.
 */
export function refreshSections(sections: readonly DraftSection[], model: ReportModel): Refreshed {
  const changed = new Map<string, string>();
  const sectionKeys = new Set<DraftSection['key']>();
  const next = sections.map((s) => {
    const before = figureTexts(s.doc);
    let moved = false;
    for (const [key, text] of before) {
      const now = figureText(model, key) ?? '—';
      if (now !== text) {
        changed.set(key, text);
        moved = true;
      }
    }
    if (!moved) return s;
    sectionKeys.add(s.key);
    const doc = refreshDoc(s.doc, model);
    return { ...s, doc, generated: authorChanged(s) ? s.generated : docFingerprint(doc) };
  });
  return { sections: next, changed, sectionKeys };
}

/** The section `key` as generated now (null: the generated draft has no such section). */
export function regeneratedSection(model: ReportModel, key: DraftSection['key']): DraftSection | null {
  return generateDraft(model).find((s) => s.key === key) ?? null;
}

// ---------------------------------------------------------------------------------------------
// 素材: what a draft may quote

export type MaterialKind = 'progress' | 'results' | 'problems' | 'nextSteps' | 'case' | 'log';

export interface Material {
  id: string;
  kind: MaterialKind;
  taskId: string;
  unitCode: string;
  unitName: string;
  table: number;
  status: Status | null;
  /** The date of a log entry. */
  date?: string;
  text: string;
}

export interface MaterialFilter {
  tables: number[];
  unitCodes: string[];
  statuses: Status[];
  text: string;
}

/**
 * The annotations' texts (推进情况, 量化成效, 存在问题, 下步计划), the case write-ups and the live log
 * entries of the draft's scope (units, tables, statuses), in task order.
 */
export function materialsOf(draft: Pick<ReportDraft, 'scope'>, rows: ReportRows, corpus: Corpus, units: Unit[]): Material[] {
  const tasks = new Map(corpus.tasks.map((t, i) => [t.id, { table: t.table, order: i }]));
  const names = new Map(units.map((u) => [u.code, u.name]));
  const inUnits = (code: string) => draft.scope.unitCodes.length === 0 || draft.scope.unitCodes.includes(code);
  const inTables = (taskId: string) => draft.scope.tables.length === 0 || draft.scope.tables.includes(tasks.get(taskId)?.table ?? 0);
  const statusOf = new Map(rows.annotations.map((a) => [a.key, a.status]));
  const inStatuses = (s: Status | null) => draft.scope.statuses.length === 0 || (s !== null && draft.scope.statuses.includes(s));
  const out: Material[] = [];
  const base = (taskId: string, unitCode: string) => ({ taskId, unitCode, unitName: names.get(unitCode) ?? unitCode, table: tasks.get(taskId)?.table ?? 0 });
  for (const a of rows.annotations) {
    if (!tasks.has(a.taskId) || !inUnits(a.unitCode) || !inTables(a.taskId) || !inStatuses(a.status)) continue;
    const texts: [MaterialKind, string][] = [
      ['progress', plainText(a.progressNotes)],
      ['results', a.results],
      ['problems', a.problems],
      ['nextSteps', a.nextSteps],
    ];
    for (const [kind, text] of texts) if (text.trim()) out.push({ id: `${a.key}|${kind}`, kind, status: a.status, text: text.trim(), ...base(a.taskId, a.unitCode) });
    const cs = caseStudyOf(a);
    if (cs && (cs.name.trim() || cs.approach.trim() || cs.results.trim())) {
      const text = [cs.name, cs.approach, cs.results].map((x) => x.trim().replace(/。$/, '')).filter(Boolean).join('。') + '。';
      out.push({ id: `${a.key}|case`, kind: 'case', status: a.status, text, ...base(a.taskId, a.unitCode) });
    }
  }
  for (const e of rows.logEntries) {
    if (e.deleted || !tasks.has(e.taskId) || !inUnits(e.unitCode) || !inTables(e.taskId)) continue;
    const status = statusOf.get(`${e.taskId}|${e.unitCode}`) ?? null;
    if (!inStatuses(status)) continue;
    const text = plainText(e.body).trim();
    if (text) out.push({ id: `log|${e.id}`, kind: 'log', status, date: e.date, text, ...base(e.taskId, e.unitCode) });
  }
  const order = (m: Material) => tasks.get(m.taskId)?.order ?? 0;
  const unitOrder = new Map(units.map((u) => [u.code, u.order]));
  return out.sort((a, b) => order(a) - order(b) || (unitOrder.get(a.unitCode) ?? 0) - (unitOrder.get(b.unitCode) ?? 0) || a.id.localeCompare(b.id));
}

export function filterMaterials(list: readonly Material[], f: MaterialFilter): Material[] {
  const q = f.text.trim().toLowerCase();
  return list.filter(
    (m) =>
      (f.tables.length === 0 || f.tables.includes(m.table)) &&
      (f.unitCodes.length === 0 || f.unitCodes.includes(m.unitCode)) &&
      (f.statuses.length === 0 || (m.status !== null && f.statuses.includes(m.status))) &&
      (q === '' || m.text.toLowerCase().includes(q) || m.taskId.toLowerCase().includes(q) || m.unitName.includes(q)),
  );
}

/** The provenance a quote carries: 「（玄武区，T1-01）」. */
export const provenanceOf = (m: Pick<Material, 'unitName' | 'taskId'>): string => `（${m.unitName}，${m.taskId}）`;

/** A quote as the editor inserts it: a blockquote of the text with its provenance. */
export function quoteNode(m: Material): RichNode {
  const text = (m.date ? `${m.date}：${m.text}` : m.text).replace(/\s*\n\s*/g, ' ');
  return { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: `${text}${provenanceOf(m)}` }] }] };
}
