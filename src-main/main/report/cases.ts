/**
 * 《南京市服务业扩大开放综合试点典型案例汇编》: a Word document of the case write-ups (典型案例) of
 * the annotations flagged 制度创新成果 or 最佳实践案例, in the GB/T 9704 look of the reports (same
 * page, grid, fonts and builder helpers from `docxBlocks.ts`) — and the one layout of a case
 * (`caseBlocks`), which the report's case annex prints too.
 *
 * Layout: title, a 楷体 line naming the scope, issuer and date; 目录 (a TOC field over the case
 * headings, filled with their texts); then one case per page, as `caseBlocks` lays it out; the 说明
 * line (scope, as-of date, corpus hash) closes it.
 *
 * Only cases with a write-up are printed (flagged tasks without one are counted in the 说明 line);
 * no write-up in scope at all is an error with a Chinese message, not an empty document.
 */
import { AlignmentType, type Paragraph, type Table } from 'docx';
import type { CaseItem, ReportModel } from '../../shared/report/model';
import { fail, ok, type Result } from '../../shared/result';
import { toCnNumeral } from '../../shared/cnNumeral';
import { firstClause } from '../../shared/report/format';
import { plainText, type RichDoc } from '../../shared/richtext';
import { FONTS, SIZE, body, emptyLine, h2, packDocument, para, portraitSection, richParagraphs, run, titlePara, tocBlocks } from './docxBlocks';
import { taskLead } from './body';

/** What a case prints where its write-up (or its task's notes) says nothing. */
export const CASE_PLACEHOLDER = '（未填写）';

/**
 * The heading of case `n`: 案例一：its name (or, without a write-up, its task: id and first clause up
 * to 40 characters — a heading may wrap, so it is not cut to a table's 20).
 */
export function caseHeading(c: CaseItem, n: number): string {
  return `案例${toCnNumeral(n)}：${c.caseStudy ? c.caseStudy.name : `${c.taskId} ${firstClause(c.taskText, 40)}`}`;
}

function kindsOf(c: CaseItem): string {
  return [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
}

/** Text of a part, one paragraph a line (a justified line ending in a break would be spread out). */
function lines(text: string): Paragraph[] {
  const ls = text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (ls.length ? ls : [CASE_PLACEHOLDER]).map((l) => body(l));
}

/**
 * `notes` without the top-level paragraphs that repeat `results`: a paragraph goes when one of its
 * sentences (after a leading label such as 「工作成效。」, eight characters or more) stands word for word
 * in the results, which （取得成效） prints anyway.
 */
export function notesWithoutResults(notes: RichDoc, results: string): RichDoc {
  const r = results.replace(/\s+/gu, '');
  if (!r) return notes;
  const repeats = (text: string) =>
    (text.replace(/\s+/gu, '').replace(/^[^。：:]{2,8}[。：:]/u, '').match(/[^。；！？]+[。；！？]?/gu) ?? []).some((s) => Array.from(s).length >= 8 && r.includes(s.replace(/[。；！？]$/u, '')));
  return { ...notes, content: (notes.content ?? []).filter((n) => n.type !== 'paragraph' || !repeats(plainText({ type: 'doc', content: [n] }))) };
}

/**
 * One case, as both the case collection and the report's case annex print it: the heading
 * (heading 1, 黑体) 案例N：name; a line with unit, task, kind, field and status; （一）主要做法
 * （二）取得成效 （三）复制推广价值 (heading 2, 楷体) — or, without a write-up, （一）任务内容
 * （二）主要做法 (the task's notes, less what repeats the results) （三）取得成效; then 佐证材料 and 进展记录 when there are any.
 * `newPage`: the case starts a page (the collection).
 */
export function caseBlocks(c: CaseItem, n: number, o: { newPage?: boolean } = {}): (Paragraph | Table)[] {
  const cs = c.caseStudy;
  const out: (Paragraph | Table)[] = [
    para([run(caseHeading(c, n), { font: FONTS.heiti })], { keepNext: true, keepLines: true, style: 'Heading1', pageBreakBefore: o.newPage }),
  ];
  const facts = [`报送单位：${c.unit.name}`, ...(cs ? [`对应任务：${taskLead(c)}`] : []), `类别：${kindsOf(c)}`, ...(cs?.field ? [`所属领域：${cs.field}`] : []), `完成状态：${c.statusLabel}`];
  out.push(body(`${facts.join('；')}。`));
  let part = 0;
  const part2 = (label: string) => h2(`（${toCnNumeral(++part)}）${label}`);
  if (cs) {
    out.push(part2('主要做法'), ...lines(cs.approach));
    out.push(part2('取得成效'), ...lines(cs.results));
    out.push(part2('复制推广价值'), ...lines(cs.replicability));
  } else {
    out.push(part2('任务内容'), ...lines(c.taskText));
    const notes = richParagraphs(notesWithoutResults(c.notes, c.results), []);
    out.push(part2('主要做法'), ...(notes.length ? notes : lines('')));
    out.push(part2('取得成效'), ...lines(c.results));
  }
  if (c.evidence.length) {
    out.push(part2('佐证材料'));
    c.evidence.forEach((e, i) =>
      out.push(body(`${i + 1}. ${e.title}${e.docNumber ? `（${e.docNumber}）` : ''}${e.dateText ? `，${e.dateText}` : ''}，${e.kindLabel}。`)),
    );
  }
  if (c.logs.length) {
    out.push(part2('进展记录'));
    for (const l of c.logs) out.push(...richParagraphs(l.body, [run(`${l.dateText}：`, { font: FONTS.kaiti })]));
  }
  return out;
}

export const CASES_TITLE = '南京市服务业扩大开放综合试点典型案例汇编';

/** The cases of a model that have a write-up, numbered 1… in the model's order. */
export function writtenCases(m: ReportModel): (CaseItem & { caseStudy: NonNullable<CaseItem['caseStudy']> })[] {
  return m.cases.filter((c): c is CaseItem & { caseStudy: NonNullable<CaseItem['caseStudy']> } => !!c.caseStudy);
}

function sections(m: ReportModel): (Paragraph | Table)[] {
  const cases = writtenCases(m);
  const pending = m.cases.length - cases.length;
  const byline = [m.meta.issuer, m.meta.signDateText].filter(Boolean).join('\u3000');
  const out: (Paragraph | Table)[] = [
    titlePara(CASES_TITLE),
    para([run(`（${m.meta.scopeName}\u3000数据截至${m.meta.asOfText}）`, { font: FONTS.kaiti })], { indent: false, align: AlignmentType.CENTER }),
    ...(byline ? [para([run(byline, { font: FONTS.kaiti })], { indent: false, align: AlignmentType.CENTER })] : []),
    emptyLine(),
    body(
      `本汇编收录${m.meta.scopeName}服务业扩大开放综合试点典型案例${cases.length}个，其中制度创新成果${cases.filter((c) => c.innovation).length}个、` +
        `最佳实践案例${cases.filter((c) => c.bestPractice).length}个（同一案例可兼属两类）。`,
    ),
    para([run('目\u3000\u3000录', { font: FONTS.heiti })], { indent: false, align: AlignmentType.CENTER, keepNext: true, before: 200 }),
    ...tocBlocks(cases.map((c, i) => caseHeading(c, i + 1))),
  ];
  cases.forEach((c, i) => out.push(...caseBlocks(c, i + 1, { newPage: true })));
  const note = pending > 0 ? `另有${pending}项已标记为制度创新成果或最佳实践案例的任务尚未撰写案例材料，未收入本汇编。` : '';
  if (note) out.push(para([run(note, { size: SIZE.wu })], { indent: false, line: 320, before: 400 }));
  out.push(para([run(m.meta.provenance.replace(/^说明：本报告/, '说明：本汇编'), { size: SIZE.wu })], { indent: false, line: 320, before: 400 }));
  return out;
}

/**
 * The case collection as .docx bytes. Fails (`cases.empty`) when no case in the model's scope has
 * a write-up.
 */
export async function renderCasesDocx(model: ReportModel): Promise<Result<Uint8Array>> {
  if (writtenCases(model).length === 0) {
    return fail(
      'cases.empty',
      model.cases.length
        ? `所选范围内有${model.cases.length}项标记为制度创新成果或最佳实践案例的任务，但都还没有撰写案例材料。请先在「典型案例」中填写案例名称等内容。`
        : '所选范围内没有标记为制度创新成果或最佳实践案例的任务，无法生成案例汇编。',
    );
  }
  return ok(await packDocument({ title: CASES_TITLE, description: model.meta.provenance }, () => [portraitSection(sections(model))]));
}
