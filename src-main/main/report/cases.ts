/**
 * 《南京市服务业扩大开放综合试点典型案例汇编》: a Word document of the case write-ups (典型案例) of
 * the annotations flagged 制度创新成果 or 最佳实践案例, in the GB/T 9704 look of the reports (same
 * page, grid, fonts and builder helpers from `docxBlocks.ts`).
 *
 * Layout: title, a 楷体 line naming the scope, issuer and date; 目录 (one line per case, 案例一 …
 * with its unit); then one case per page: 案例N, its name as a 小标宋 title, a line with the unit,
 * task, kind and status; 一、案例名称 二、所属领域 三、主要做法 四、取得成效 五、复制推广价值, then
 * 佐证材料 when there is evidence; the 说明 line (scope, as-of date, corpus hash) closes it.
 *
 * Only cases with a write-up are printed (flagged tasks without one are counted in the 说明 line);
 * no write-up in scope at all is an error with a Chinese message, not an empty document.
 */
import { AlignmentType, type Paragraph, type Table } from 'docx';
import { CASE_STUDY_LABELS, CASE_STUDY_PARTS } from '../../shared/domain';
import type { CaseItem, ReportModel } from '../../shared/report/model';
import { fail, ok, type Result } from '../../shared/result';
import { toCnNumeral } from '../../shared/cnNumeral';
import { FONTS, SIZE, body, emptyLine, h1, para, portraitSection, run, titlePara } from './docxBlocks';
import { packDocument } from './docx';
import { taskLead } from './body';

export const CASES_TITLE = '南京市服务业扩大开放综合试点典型案例汇编';

/** The cases of a model that have a write-up, numbered 1… in the model's order. */
export function writtenCases(m: ReportModel): (CaseItem & { caseStudy: NonNullable<CaseItem['caseStudy']> })[] {
  return m.cases.filter((c): c is CaseItem & { caseStudy: NonNullable<CaseItem['caseStudy']> } => !!c.caseStudy);
}

function kindsOf(c: CaseItem): string {
  return [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
}

/** Text of a part; multi-line parts keep their lines (each its own paragraph). */
function partParagraphs(text: string): Paragraph[] {
  const lines = text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? lines.map((l) => body(l)) : [body('（未填写）')];
}

function caseBlocks(c: ReturnType<typeof writtenCases>[number], n: number): (Paragraph | Table)[] {
  const cs = c.caseStudy;
  const out: (Paragraph | Table)[] = [
    para([run(`案例${toCnNumeral(n)}`, { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT, pageBreakBefore: true, keepNext: true }),
    titlePara(cs.name, { keepNext: true }),
    ...[`报送单位：${c.unit.name}\u3000对应任务：${taskLead(c)}`, `类别：${kindsOf(c)}\u3000完成状态：${c.statusLabel}`].map((line, i) =>
      para([run(line, { font: FONTS.kaiti, size: SIZE.xiaosi })], { indent: false, align: AlignmentType.CENTER, line: 400, after: i === 1 ? 200 : 0 }),
    ),
  ];
  CASE_STUDY_PARTS.forEach((k, i) => {
    out.push(h1(`${toCnNumeral(i + 1)}、${CASE_STUDY_LABELS[k]}`));
    out.push(...partParagraphs(cs[k]));
  });
  if (c.evidence.length) {
    out.push(h1(`${toCnNumeral(CASE_STUDY_PARTS.length + 1)}、佐证材料`));
    c.evidence.forEach((e, i) =>
      out.push(body(`${i + 1}. ${e.title}${e.docNumber ? `（${e.docNumber}）` : ''}${e.dateText ? `，${e.dateText}` : ''}，${e.kindLabel}。`)),
    );
  }
  return out;
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
  ];
  cases.forEach((c, i) => {
    const suffix = m.meta.units.length > 1 ? `（${c.unit.name}）` : '';
    out.push(para([run(`案例${toCnNumeral(i + 1)}\u3000${c.caseStudy.name}${suffix}`)], { indent: false, left: 640, hanging: 0 }));
  });
  cases.forEach((c, i) => out.push(...caseBlocks(c, i + 1)));
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
