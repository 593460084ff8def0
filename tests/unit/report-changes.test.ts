/**
 * 「本期变化情况」 in the Word reports: built from the comparison of a chosen snapshot with the
 * report's own data (scope and as-of date), every row and number checked against a hand-made
 * baseline; absent when no snapshot is chosen.
 */
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../src-main/shared/domain';
import { buildReportModel, type ReportInput, type ReportModel } from '../../src-main/shared/report/model';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { freezeEntries } from '../../src-main/shared/snapshot/model';
import { AS_OF, SIGN_DATE, UNITS, bodyBlocks, corpus, parseXml, smallAnnotations, smallEvidence, smallLogs, tableCells, textOf, unzipText } from './report-fixtures';

const X = '320102';
/** 玄武区 at the end of 2024: T1-02 序时推进, T1-03 未启动, T1-04 序时推进, T1-01 not yet an innovation, T5-02 not annotated, no evidence. */
function baseline() {
  const edits: Record<string, Partial<Annotation>> = {
    [`T1-02|${X}`]: { status: 'on_track' },
    [`T1-03|${X}`]: { status: 'not_started' },
    [`T1-04|${X}`]: { status: 'on_track' },
    [`T1-01|${X}`]: { isInnovation: false },
  };
  const annotations = smallAnnotations()
    .filter((a) => a.key !== `T5-02|${X}`)
    .map((a) => ({ ...a, ...edits[a.key] }));
  return { periodName: '2024年度', frozenAt: '2024-12-31T08:00:00.000Z', entries: freezeEntries({ annotations, evidence: [], logEntries: smallLogs() }) };
}

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    kind: 'district',
    corpus: corpus(),
    units: UNITS,
    annotations: smallAnnotations(),
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: [X], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '玄武区服务业扩大开放综合试点推进情况报告',
    issuer: '玄武区人民政府',
    signDate: SIGN_DATE,
    appVersion: '0.1.0',
    ...over,
  };
}
function model(i: ReportInput): ReportModel {
  const r = buildReportModel(i);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('report section 本期变化情况', () => {
  it('lists exactly the status moves, new cases and newly annotated tasks of the scope since the snapshot', () => {
    const c = model(input({ changesSince: baseline() })).changes!;
    expect(c.statusMoves.map((r) => `${r.taskId} ${r.from}→${r.to}`)).toEqual(['T1-02 序时推进→基本完成', 'T1-03 未启动→序时推进', 'T1-04 序时推进→进度滞后']);
    expect(c.newCases.map((r) => `${r.taskId} ${r.detail}`)).toEqual(['T1-01 制度创新成果']);
    expect(c.newlyAnnotated.map((r) => r.taskId)).toEqual(['T5-02']);
    // Evidence of 玄武区 created by the as-of date is all new (the baseline had none).
    const expected = smallEvidence().filter((e) => e.unitCode === X && !e.deleted && Date.parse(e.createdAt) < Date.parse(`${AS_OF}T16:00:00.000Z`));
    expect(c.counts.evidence).toBe(expected.length);
    expect(c.counts).toMatchObject({ moves: 3, nowImplemented: 1, nowDelayed: 1, innovation: 1, annotated: 1 });
    expect(c.summary).toContain('与「2024年度」快照（2024年12月31日冻结）相比，截至2025年3月5日，共有3项任务的完成状态发生变化');
  });

  it('names the Beijing day the snapshot was frozen: 00:30 on 1 January in Nanjing is 2025年1月1日, not the UTC date', () => {
    const c = model(input({ changesSince: { ...baseline(), frozenAt: '2024-12-31T16:30:00.000Z' } })).changes!;
    expect(c.baselineText).toBe('「2024年度」快照（2025年1月1日冻结）');
  });

  it('is printed in the Word report after the overview figures, with a table of the moves; absent without a snapshot', async () => {
    const open = async (i: ReportInput) => {
      const xml = unzipText(await renderReportDocx(model(i), { charts: false }))['word/document.xml']!;
      return bodyBlocks(parseXml(xml));
    };
    const blocks = await open(input({ changesSince: baseline() }));
    const texts = blocks.map((b) => textOf(b));
    // Its own section, numbered after 一 (the numbers are computed, so no two headings share one).
    const at = texts.indexOf('二、本期变化情况');
    expect(at).toBeGreaterThan(texts.findIndex((t) => t.startsWith('一、总体推进情况')));
    expect(at).toBeLessThan(texts.findIndex((t) => t.startsWith('三、主要做法和成效')));
    expect(texts[at + 1]).toContain('共有3项任务的完成状态发生变化');
    // The most important moves in the body, every move in the annex's table.
    expect(texts[at + 2]).toContain('新实施的主要有T1-02由序时推进变为基本完成');
    expect(texts[at + 2]).toContain('转为进度滞后的有T1-04由序时推进变为进度滞后');
    expect(texts[at + 2]).toMatch(/全部状态变化见附件2。$/u);
    expect(texts).toContain('附件：1. 任务清单推进情况表');
    expect(texts.some((t) => t === '2. 本期完成状态变化明细表')).toBe(true);
    const annex = texts.lastIndexOf('本期完成状态变化明细表');
    const table = blocks.slice(annex).find((b) => b.localName === 'tbl')!;
    expect(tableCells(table).slice(1).map((r) => [r[1], r[3], r[4]])).toEqual([
      ['T1-02', '序时推进', '基本完成'],
      ['T1-03', '未启动', '序时推进'],
      ['T1-04', '序时推进', '进度滞后'],
    ]);
    const headings = texts.filter((t) => /^[一二三四五六七八九十]、/u.test(t));
    expect(new Set(headings).size).toBe(headings.length);

    const without = (await open(input())).map((b) => textOf(b));
    expect(without.some((t) => t.includes('本期变化情况'))).toBe(false);
    expect(without).toContain('二、主要做法和成效');
    const plain = without.filter((t) => /^[一二三四五六七八九十]、/u.test(t));
    expect(new Set(plain).size).toBe(plain.length);
    // Sub-headings numbered from （一） in each section, never twice the same in one.
    let seen = new Set<string>();
    for (const t of without.slice(0, without.findIndex((x) => x.startsWith('附件：')))) {
      if (/^[一二三四五六七八九十]、/u.test(t)) seen = new Set();
      const sub = t.match(/^（[一二三四五六七八九十]+）/u)?.[0];
      if (sub) {
        expect(seen.has(sub)).toBe(false);
        seen.add(sub);
      }
    }
  });
});
