/**
 * The report's content defects, one test each: doubled dates in progress logs, overdue by the one
 * rule, past targets never printed as plans, 数据截至 from the newest data (and a warning past it),
 * live figures that resolve and refresh, and no 主要举措/工作成效 for a task not started.
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel, logBodyWithoutDate, newestDataDate, asOfWarning, type ReportInput, type ReportModel } from '../../src-main/shared/report/model';
import { currentPlan, figureText, generateDraft, refreshFigures } from '../../src-main/shared/report/generate';
import { shortenAtSentence } from '../../src-main/shared/report/format';
import { plainText, type RichNode } from '../../src-main/shared/richtext';
import { AS_OF, SIGN_DATE, UNITS, ann, corpus, doc, p, smallAnnotations, smallEvidence, smallLogs } from './report-fixtures';

const c = corpus();

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    kind: 'district',
    corpus: c,
    units: UNITS,
    annotations: smallAnnotations(),
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: ['320102'], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '',
    issuer: '玄武区人民政府',
    signDate: SIGN_DATE,
    ...over,
  };
}

function model(i: ReportInput): ReportModel {
  const r = buildReportModel(i);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const figures = (m: ReportModel): RichNode[] => {
  const out: RichNode[] = [];
  const walk = (n: RichNode) => (n.type === 'figure' ? out.push(n) : (n.content ?? []).forEach(walk));
  for (const s of m.sections) s.doc.content.forEach(walk);
  return out;
};

describe('report content', () => {
  it('a log entry that starts with its own date is printed with the date once', () => {
    const body = doc(p({ b: '2024年8月12日：' }, '召开专题推进会。'));
    expect(plainText(logBodyWithoutDate(body, '2024-08-12'))).toBe('召开专题推进会。');
    // Another date is part of the text and stays.
    expect(plainText(logBodyWithoutDate(body, '2024-08-13'))).toBe('2024年8月12日：召开专题推进会。');
    const m = model(
      input({
        annotations: [ann('T1-01', '320102', { status: 'done', isInnovation: true })],
        logEntries: [{ ...smallLogs()[0]!, taskId: 'T1-01', unitCode: '320102', date: '2024-08-12', body, deleted: false }],
      }),
    );
    expect(m.cases[0]!.logs.map((l) => `${l.dateText}：${plainText(l.body)}`)).toEqual(['2024年8月12日：召开专题推进会。']);
  });

  it('overdue by the one rule: 基本完成 and 已完成 past their deadline are not overdue; days count to the as-of date', () => {
    const m = model(
      input({
        annotations: [
          ann('T1-01', '320102', { status: 'mostly_done', deadline: '2023-12-31' }),
          ann('T1-02', '320102', { status: 'done', deadline: '2023-12-31' }),
          ann('T1-03', '320102', { status: 'on_track', deadline: '2025-03-01' }),
        ],
      }),
    );
    expect(m.lagging.map((l) => [l.taskId, l.daysOverdue])).toEqual([['T1-03', 4]]);
    const text = m.sections.map((s) => plainText(s.doc)).join('\n');
    expect(text).not.toMatch(/T1-0[12][^，。]*已超期/u);
  });

  it('a target already past is never printed as a plan', () => {
    expect(currentPlan('下一步，强化督查考核，确保各项任务按期完成，力争于2023年底前全面完成试点任务。', '2025-06-30')).toBe('强化督查考核，确保各项任务按期完成');
    expect(currentPlan('力争于2024年6月30日前完成。', '2025-06-30')).toBeNull();
    expect(currentPlan('力争于2026年底前全面完成试点任务。', '2025-06-30')).toBe('力争于2026年底前全面完成试点任务');
    const m = model(
      input({
        asOf: '2026-03-05',
        signDate: '2026-03-05',
        annotations: [ann('T1-01', '320102', { status: 'on_track', nextSteps: '下一步，加大招商引资力度，力争于2023年底前全面完成试点任务。' })],
      }),
    );
    const text = m.sections.map((s) => plainText(s.doc)).join('\n');
    expect(text).toContain('加大招商引资力度');
    expect(text).not.toContain('2023年底');
  });

  it('数据截至 defaults to the newest data in scope; a later date is warned of', () => {
    const annotations = [ann('T1-01', '320102', {}, '2025-02-27T17:00:00.000Z'), ann('T1-02', '320104', {}, '2025-03-04T02:00:00.000Z')];
    // 17:00 UTC is 01:00 the next day in Nanjing.
    expect(newestDataDate({ annotations }, ['320102'])).toBe('2025-02-28');
    expect(newestDataDate({ annotations })).toBe('2025-03-04');
    expect(newestDataDate({ annotations: [] })).toBeNull();
    expect(asOfWarning('2025-03-04', '2025-03-04')).toBeNull();
    expect(asOfWarning('2026-12-02', '2025-03-04')).toMatch(/^数据截至日期2026年12月2日晚于所选数据的最后更新日期2025年3月4日/u);
  });

  it('every figure of the generated body names a count of the model, and refreshes when the data changes', () => {
    const m = model(input({ kind: 'city', scope: { unitCodes: [], tables: [], statuses: [] }, issuer: '南京市商务局' }));
    const fs = figures(m);
    expect(fs.length).toBeGreaterThan(20);
    for (const f of fs) {
      const key = String(f.attrs?.key);
      expect(figureText(m, key), key).not.toBeNull();
      expect(f.attrs?.text, key).toBe(figureText(m, key));
    }
    expect(figureText(m, 'overall.total')).toBe('104');
    // The same draft against data where one more task is done: its figures follow.
    const more = model(
      input({
        kind: 'city',
        scope: { unitCodes: [], tables: [], statuses: [] },
        annotations: [...smallAnnotations(), ...UNITS.map((u) => ann('T5-16', u.code, { status: 'done' }))],
      }),
    );
    const refreshed = refreshFigures(m.sections, more);
    const done = (ss: typeof m.sections) => ss.flatMap((s) => s.doc.content).map((n) => JSON.stringify(n)).join('').match(/"overall\.implemented","text":"(\d+)"/u)?.[1];
    expect(Number(done(m.sections))).toBe(m.overall.implemented);
    expect(Number(done(refreshed))).toBe(more.overall.implemented);
    expect(more.overall.implemented).toBe(m.overall.implemented + 1);
    // A saved draft is printed as written, its figures refreshed to the data.
    const saved = model(input({ kind: 'city', scope: { unitCodes: [], tables: [], statuses: [] }, draft: { sections: m.sections } }));
    expect(saved.sections.map((s) => s.key)).toEqual(m.sections.map((s) => s.key));
  });

  it('a task not started gives neither 主要做法 nor 工作成效, even when its record has results', () => {
    const m = model(
      input({
        annotations: [
          ann('T1-01', '320102', { status: 'not_started', results: '累计引进相关项目999个。', progressNotes: doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p('一是未启动任务的举措。')] }] }) }),
          ann('T1-02', '320102', { status: 'done', results: '累计引进相关项目12个。' }),
        ],
      }),
    );
    const practices = plainText(m.sections.find((s) => s.key === 'practices')!.doc);
    expect(practices).toContain('T1-02累计引进相关项目12个');
    expect(practices).not.toContain('999');
    expect(practices).not.toContain('未启动任务的举措');
    expect(generateDraft(m).map((s) => s.title)).toEqual(['', '总体推进情况', '主要做法和成效', '制度创新成果和最佳实践案例', '存在问题', '下一步工作打算']);
  });

  it('shortens a long text at a sentence, else at a clause, with an ellipsis', () => {
    expect(shortenAtSentence('第一句。第二句很长很长很长很长。', 6)).toBe('第一句。');
    expect(shortenAtSentence('建立台账，定期跟踪督办，推动成果转化', 12)).toBe('建立台账，定期跟踪督办…');
  });
});
