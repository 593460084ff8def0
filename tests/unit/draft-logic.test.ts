/**
 * The drafting screen's rules apart from its React: a refresh sets every figure to the data's value
 * and keeps a section the author never touched regenerable without asking (while one the author
 * wrote in still asks); 素材 are the draft's scope only, filterable, and a quote carries its
 * provenance 「（玄武区，T1-01）」.
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { generateDraft } from '../../src-main/shared/report/generate';
import type { DraftSection } from '../../src-main/shared/report/draft';
import { authorChanged, filterMaterials, materialsOf, quoteNode, refreshSections } from '../../src-renderer/src/features/reports/drafting/draftLogic';
import { AS_OF, SIGN_DATE, UNITS, ann, corpus } from './report-fixtures';

const c = corpus();
function model(annotations: ReturnType<typeof ann>[]): ReportModel {
  const r = buildReportModel({ kind: 'district', corpus: c, units: UNITS, annotations, logEntries: [], evidence: [], scope: { unitCodes: ['320102'], tables: [], statuses: [] }, asOf: AS_OF, title: '', issuer: '', signDate: SIGN_DATE });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const figureTextIn = (s: DraftSection, key: string): string | undefined => JSON.stringify(s.doc).match(new RegExp(`"key":"${key.replace('.', '\\.')}","text":"([^"]*)"`))?.[1];

describe('refreshing a draft', () => {
  const before = model([ann('T1-01', '320102', { status: 'done' })]);
  const after = model([ann('T1-01', '320102', { status: 'done' }), ann('T1-02', '320102', { status: 'mostly_done' })]);

  it('sets each figure to the new value and names what changed', () => {
    const sections = generateDraft(before);
    const overview = sections.find((s) => s.key === 'overview')!;
    expect(figureTextIn(overview, 'overall.implemented')).toBe('1');
    const r = refreshSections(sections, after);
    expect(figureTextIn(r.sections.find((s) => s.key === 'overview')!, 'overall.implemented')).toBe('2');
    expect(r.changed.get('overall.implemented')).toBe('1');
    expect([...r.sectionKeys]).toContain('overview'); // and any other section whose figures moved
    expect(refreshSections(r.sections, after).changed.size).toBe(0);
  });

  it('an untouched section stays untouched (regenerating does not ask); one the author wrote in still asks', () => {
    const sections = generateDraft(before);
    const untouched = refreshSections(sections, after).sections.find((s) => s.key === 'overview')!;
    expect(authorChanged(untouched)).toBe(false);

    const written: DraftSection[] = sections.map((s): DraftSection =>
      s.key === 'overview' ? { ...s, doc: { ...s.doc, content: [...s.doc.content, { type: 'paragraph' as const, content: [{ type: 'text' as const, text: '作者补充的一句。' }] }] } } : s,
    );
    expect(authorChanged(written.find((s) => s.key === 'overview')!)).toBe(true);
    const refreshed = refreshSections(written, after).sections.find((s) => s.key === 'overview')!;
    expect(authorChanged(refreshed)).toBe(true);
    expect(JSON.stringify(refreshed.doc)).toContain('作者补充的一句。');
  });
});

describe('素材', () => {
  const rows = {
    annotations: [
      ann('T1-01', '320102', { status: 'done', results: '累计服务企业120家' }),
      ann('T2-01', '320102', { status: 'delayed', problems: '专业人才不足' }),
      ann('T1-01', '320104', { status: 'done', results: '秦淮区的成效' }),
    ],
    logEntries: [],
    evidence: [],
  };
  const scope = { scope: { unitCodes: ['320102'], tables: [], statuses: [] } };

  it("lists only the draft's scope and filters by table, status and text", () => {
    const all = materialsOf(scope, rows, c, UNITS);
    expect(all.map((m) => [m.taskId, m.unitCode, m.kind])).toEqual([
      ['T1-01', '320102', 'results'],
      ['T2-01', '320102', 'problems'],
    ]);
    expect(filterMaterials(all, { tables: [2], unitCodes: [], statuses: [], text: '' }).map((m) => m.taskId)).toEqual(['T2-01']);
    expect(filterMaterials(all, { tables: [], unitCodes: [], statuses: ['done'], text: '' }).map((m) => m.taskId)).toEqual(['T1-01']);
    expect(filterMaterials(all, { tables: [], unitCodes: [], statuses: [], text: '人才' }).map((m) => m.taskId)).toEqual(['T2-01']);
  });

  it('a quote is a blockquote with its provenance', () => {
    const [m] = materialsOf(scope, rows, c, UNITS);
    expect(quoteNode(m!)).toEqual({ type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: '累计服务企业120家（玄武区，T1-01）' }] }] });
  });
});
