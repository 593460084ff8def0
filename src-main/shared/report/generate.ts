/**
 * The synthesised draft of a progress report's body, from a report model: one rich-text document
 * per section of `DRAFT_SECTION_KEYS`, with live figures (`figure` nodes) and computed tables and
 * charts (`reportBlock` nodes). The CLI prints it as it is; the app pre-fills the drafting screen
 * with it and the author rewrites it.
 *
 * Pure: no node, electron or DOM imports.
 */
import { sha256Hex } from '../hash';
import type { RichDoc, RichNode } from '../richtext';
import type { DraftSection, DraftSectionKey } from './draft';
import { pct, type Figures, type ReportModel } from './model';

/** The headings of the sections (without their numbers). */
export const SECTION_TITLES: Record<DraftSectionKey, string> = {
  lead: '',
  overview: '总体推进情况',
  changes: '本期变化情况',
  practices: '主要做法和成效',
  cases: '制度创新成果和最佳实践案例',
  problems: '存在问题',
  nextSteps: '下一步工作打算',
};

/** The figures of the model a key names, or null. */
function figuresOf(m: ReportModel, scope: string, id: string | undefined): Figures | null {
  if (scope === 'overall') return m.overall;
  if (scope === 'table') return m.byTable.find((t) => t.key === `表${id}`) ?? null;
  if (scope === 'unit') return m.byUnit.find((u) => u.key === id) ?? null;
  return null;
}

/**
 * The printed value of a figure key at the model's as-of date, or null when the key names nothing
 * (the renderer then prints 「—」). Keys: `overall.<field>`, `table.<n>.<field>`, `unit.<code>.<field>`,
 * with `<field>` one of total, implemented, applicable, implementedShare, byStatus.<status>, lights.<light>.
 */
export function figureText(m: ReportModel, key: string): string | null {
  const parts = key.split('.');
  const scope = parts[0]!;
  const rest = scope === 'overall' ? parts.slice(1) : parts.slice(2);
  const f = figuresOf(m, scope, parts[1]);
  if (!f) return null;
  const [field, sub] = rest;
  if (field === 'implementedShare' && !sub) return pct(f.implementedShare);
  if ((field === 'total' || field === 'implemented' || field === 'applicable') && !sub) return String(f[field]);
  if (field === 'byStatus' && sub && Object.hasOwn(f.byStatus, sub)) return String(f.byStatus[sub as keyof Figures['byStatus']]);
  if (field === 'lights' && sub && Object.hasOwn(f.lights, sub)) return String(f.lights[sub as keyof Figures['lights']]);
  return null;
}

/** A `figure` node for `key`, its text the model's value now. */
export function figure(m: ReportModel, key: string): RichNode {
  return { type: 'figure', attrs: { key, text: figureText(m, key) ?? '—' } };
}

/** Every figure of a document set to the model's value (the draft's doc otherwise unchanged). */
export function refreshDoc(doc: RichDoc, m: ReportModel): RichDoc {
  const walk = (n: RichNode): RichNode =>
    n.type === 'figure'
      ? { ...n, attrs: { ...n.attrs, text: figureText(m, String(n.attrs?.key ?? '')) ?? '—' } }
      : n.content
        ? { ...n, content: n.content.map(walk) }
        : n;
  return { type: 'doc', content: doc.content.map(walk) };
}

export function refreshFigures(sections: readonly DraftSection[], m: ReportModel): DraftSection[] {
  return sections.map((s) => ({ ...s, doc: refreshDoc(s.doc, m) }));
}

/** The fingerprint a section's `generated` holds. */
export function docFingerprint(doc: RichDoc): string {
  return sha256Hex(JSON.stringify(doc));
}

const p = (...content: (string | RichNode)[]): RichNode => ({
  type: 'paragraph',
  content: content.filter((c) => c !== '').map((c) => (typeof c === 'string' ? { type: 'text', text: c } : c)),
});

/**
 * The generated draft of every section. (A first version: the summary sentences and the tables;
 * the synthesis of practices, problems and next steps is still to come.)
 */
export function generateDraft(m: ReportModel): DraftSection[] {
  const docs: Partial<Record<DraftSectionKey, RichDoc>> = {
    lead: { type: 'doc', content: [p(`按照《${m.meta.planTitle}》任务分工和工作要求，现将${m.meta.scopeName}服务业扩大开放综合试点任务推进情况报告如下。`)] },
    overview: {
      type: 'doc',
      content: [
        p(`截至${m.meta.asOfText}，${m.meta.scopeName}纳入统计的试点任务共`, figure(m, 'overall.total'), '项，已实施', figure(m, 'overall.implemented'), '项，实施率', figure(m, 'overall.implementedShare'), '。'),
        { type: 'reportBlock', attrs: { block: 'table.byTable' } },
      ],
    },
    practices: { type: 'doc', content: [p('（待补充）')] },
    cases: { type: 'doc', content: [p(`共形成制度创新成果${m.innovationCount}项、最佳实践案例${m.bestPracticeCount}项。`)] },
    problems: { type: 'doc', content: [p('（待补充）')] },
    nextSteps: { type: 'doc', content: [p('（待补充）')] },
  };
  if (m.changes) docs.changes = { type: 'doc', content: [p('（待补充）')] };
  return (Object.keys(SECTION_TITLES) as DraftSectionKey[])
    .filter((k) => docs[k])
    .map((key) => ({ key, title: SECTION_TITLES[key], doc: docs[key]!, generated: docFingerprint(docs[key]!) }));
}
