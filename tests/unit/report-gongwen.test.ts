/**
 * The 公文 elements of GB/T 9704-2012 in a report's document.xml and styles.xml, as a recipient's
 * registry office checks them: 版头 (发文机关标志 red, 发文字号 with 〔〕, 签发人 on its line, the red
 * rule), 主送机关 under the title, 附件说明 naming the annexes exactly as their headings, the 落款 and
 * 附注 kept with the body's end, the 版记 (rules, 抄送, 印发) alone in a last section that starts on
 * an even page, heading styles with outline levels, and small tables kept on one page.
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { EMPTY_FORM, type GongwenForm } from '../../src-main/shared/report/draft';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { renderCasesDocx } from '../../src-main/main/report/cases';
import { CITY_RECIPIENT, DISTRICT_RECIPIENT, checkForm, normaliseDocNumber, signatureIndents } from '../../src-main/main/report/gongwen';
import { CHAR_PITCH } from '../../src-main/main/report/gbt9704';
import { XmlBlock, gridTable, richParagraphs } from '../../src-main/main/report/docxBlocks';
import { AS_OF, SIGN_DATE, UNITS, bodyBlocks, corpus, ol, p, parseXml, smallAnnotations, smallEvidence, smallLogs, textOf, unzipText, xmlError } from './report-fixtures';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function model(kind: 'district' | 'city', form?: GongwenForm): ReportModel {
  const r = buildReportModel({
    kind,
    corpus: corpus(),
    units: UNITS,
    annotations: smallAnnotations().map((a) => (a.taskId === 'T1-01' && a.unitCode === '320102' ? { ...a, innovation: true } : a)),
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: kind === 'city' ? [] : ['320102'], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '',
    issuer: kind === 'city' ? '南京市商务局' : '南京市玄武区人民政府',
    signDate: SIGN_DATE,
    ...(form ? { form } : {}),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const FULL: GongwenForm = {
  recipients: '南京市商务局',
  header: { orgMark: '南京市玄武区人民政府文件', docNumber: '玄政发〔2025〕12号', signer: '王五' },
  seal: false,
  note: '联系人：张三，电话：025-12345678',
  copyTo: '市发展改革委，市财政局',
  printer: '南京市玄武区人民政府办公室',
  printDate: '2025-03-06',
};

async function render(m: ReportModel) {
  const files = unzipText(await renderReportDocx(m, { charts: false }));
  const xml = files['word/document.xml']!;
  expect(xmlError(xml)).toBeNull();
  const doc = parseXml(xml);
  const blocks = bodyBlocks(doc);
  return { files, doc, blocks, texts: blocks.map(textOf) };
}

const fragment = (xml: string) => parseXml(`<w:body xmlns:w="${W}">${xml}</w:body>`);
const child = (el: Element | null | undefined, name: string) => (el ? (Array.from(el.children).find((c) => c.localName === name) ?? null) : null);
const pPr = (p: Element) => child(p, 'pPr');
const attr = (el: Element | null, name: string) => el?.getAttributeNS(W, name) ?? el?.getAttribute(`w:${name}`) ?? null;
const keepsNext = (p: Element) => {
  const k = child(pPr(p), 'keepNext');
  return !!k && attr(k, 'val') !== 'false' && attr(k, 'val') !== '0';
};

describe('版头 and 主送机关', () => {
  it('prints the 发文机关标志 in red 小标宋, 发文字号 and 签发人 on one line above a red rule, then title and 主送机关', async () => {
    const { blocks, texts } = await render(model('district', FULL));
    const mark = blocks[texts.indexOf('南京市玄武区人民政府文件')]!;
    const markRun = mark.getElementsByTagNameNS(W, 'r')[0]!;
    expect(attr(child(child(markRun, 'rPr'), 'color'), 'val')).toBe('FF0000');
    expect(attr(child(child(markRun, 'rPr'), 'rFonts'), 'eastAsia')).toBe('方正小标宋简体');
    const numberLine = blocks.find((b) => textOf(b).startsWith('玄政发〔2025〕12号'))!;
    expect(textOf(numberLine)).toBe('玄政发〔2025〕12号签发人：王五');
    expect(numberLine.getElementsByTagNameNS(W, 'tab').length).toBeGreaterThan(0); // 签发人 at the right-hand tab stop
    const rule = child(child(pPr(numberLine), 'pBdr'), 'bottom');
    expect(attr(rule, 'color')).toBe('FF0000');
    // The signer's name in 楷体, 「签发人：」 in 仿宋.
    const runs = Array.from(numberLine.getElementsByTagNameNS(W, 'r'));
    expect(attr(child(child(runs.find((r) => textOf(r) === '王五')!, 'rPr'), 'rFonts'), 'eastAsia')).toBe('楷体_GB2312');
    const title = texts.indexOf('玄武区服务业扩大开放综合试点推进情况报告');
    expect(title).toBeGreaterThan(texts.indexOf('南京市玄武区人民政府文件'));
    expect(texts[title + 1]).toBe('');
    expect(texts[title + 2]).toBe('南京市商务局：');
    expect(attr(child(pPr(blocks[title + 2]!), 'ind'), 'firstLine')).toBeNull(); // 顶格
  });

  it('without a form: no 版头, and the 主送机关 of the kind (district → the leading group office, city → 商务部)', async () => {
    const d = await render(model('district'));
    expect(d.texts[0]).toBe('玄武区服务业扩大开放综合试点推进情况报告');
    expect(d.texts[2]).toBe(`${DISTRICT_RECIPIENT}：`);
    expect(d.texts.some((t) => t.includes('签发人'))).toBe(false);
    const c = await render(model('city'));
    expect(c.texts[2]).toBe(`${CITY_RECIPIENT}：`);
  });
});

describe('附件说明, 落款 and 附注', () => {
  it('names the annexes exactly as their headings print them, and keeps the chain from the body to the 附注 together', async () => {
    const { blocks, texts } = await render(model('district', FULL));
    const first = texts.findIndex((t) => t.startsWith('附件：'));
    const names: string[] = [];
    for (let i = first; /^(附件：)?\d+\. /.test(texts[i]!); i++) names.push(texts[i]!.replace(/^(附件：)?\d+\. /, ''));
    expect(names.length).toBe(2);
    // Each annex: 「附件N」, its title (a heading with an outline level), in the annex order.
    names.forEach((n, i) => {
      const head = texts.indexOf(`附件${i + 1}`);
      expect(head, `附件${i + 1}`).toBeGreaterThan(first);
      const titleAt = texts.findIndex((t, k) => k > head && t !== '');
      expect(texts[titleAt]!.replace(/\n/g, '')).toBe(n);
      expect(attr(child(pPr(blocks[titleAt]!), 'pStyle'), 'val')).toBe('Heading1');
    });
    // From the body's last paragraph to the date: keep-with-next on each, the 附注 last.
    const note = texts.indexOf('（联系人：张三，电话：025-12345678）');
    const date = texts.lastIndexOf('2025年3月5日', note);
    expect(note).toBe(date + 1);
    for (let i = first - 2; i < note; i++) expect(keepsNext(blocks[i]!), `${i}: ${texts[i]}`).toBe(true);
  });

  it('sets the 落款 as 7.3.5 says: without a seal the date two characters right of the issuer; with one the date four in and the issuer centred over it', () => {
    const cjk = CHAR_PITCH;
    // Issuer 10 characters, date 2025年3月5日 (6 digits and 年月日 with 5 × ¼ character of spacing): the issuer is longer.
    const plain = signatureIndents('南京市玄武区人民政府', '2025年3月5日');
    expect(plain.issuerRight).toBe(2 * cjk);
    const il = 10 * cjk;
    const dl = 3 * cjk + 6 * 155 + 5 * 80;
    // Date's first character two characters right of the issuer's first.
    expect(il + plain.issuerRight - (dl + plain.dateRight)).toBe(2 * cjk);
    // A date longer than the issuer: date 右空二字, the issuer moves left.
    const short = signatureIndents('商务局', '2025年12月31日');
    expect(short.dateRight).toBe(2 * cjk);
    expect(3 * cjk + short.issuerRight - (short.dateRight + 3 * cjk + 8 * 155 + 5 * 80)).toBe(2 * cjk);
    // With a seal: date 右空四字, the issuer's centre over the date's.
    const seal = signatureIndents('南京市玄武区人民政府', '2025年3月5日', true);
    expect(seal.dateRight).toBe(4 * cjk);
    expect(Math.abs(seal.issuerRight + il / 2 - (seal.dateRight + dl / 2))).toBeLessThanOrEqual(1);
  });
});

describe('版记', () => {
  it('is alone in the last section, which starts on an even page; first and last rules thick, the one between thin', async () => {
    const { doc, texts, blocks } = await render(model('city', FULL));
    const sects = Array.from(doc.getElementsByTagNameNS(W, 'sectPr'));
    const last = sects.at(-1)!;
    expect(attr(child(last, 'type'), 'val')).toBe('evenPage');
    const before = sects.at(-2)!; // in the pPr of the previous section's last paragraph
    const boundary = blocks.findIndex((b) => b.contains(before));
    const colophon = blocks.slice(boundary + 1);
    expect(colophon.map(textOf)).toEqual(['', '抄送：市发展改革委，市财政局。', '南京市玄武区人民政府办公室2025年3月6日印发']);
    // The empty line of exact height pushes the 版记 to the page's foot.
    expect(Number(attr(child(pPr(colophon[0]!), 'spacing'), 'line'))).toBeGreaterThan(10000);
    const rules = (p: Element) => child(pPr(p), 'pBdr');
    expect(attr(child(rules(colophon[1]!), 'top'), 'sz')).toBe('8');
    expect(attr(child(rules(colophon[1]!), 'bottom'), 'sz')).toBe('6');
    expect(attr(child(rules(colophon[2]!), 'bottom'), 'sz')).toBe('8');
    // The annexes (and the 说明 line) come before it.
    expect(texts.findIndex((t) => t.startsWith('说明：本报告'))).toBeLessThan(boundary + 1);
  });
});

describe('Word structure', () => {
  it('headings use heading styles with outline levels that keep with the next paragraph', async () => {
    const { files, blocks, texts } = await render(model('city'));
    const styles = parseXml(files['word/styles.xml']!);
    const byId = new Map(Array.from(styles.getElementsByTagNameNS(W, 'style')).map((s) => [attr(s, 'styleId'), s]));
    ['Heading1', 'Heading2', 'Heading3'].forEach((id, level) => {
      const s = byId.get(id)!;
      expect(attr(child(s, 'name'), 'val')).toBe(`heading ${level + 1}`);
      expect(attr(child(child(s, 'pPr'), 'outlineLvl'), 'val')).toBe(String(level));
    });
    // NoGrid: paragraphs off the grid (a style property docx cannot write, so styles.xml is ours).
    expect(child(child(byId.get('NoGrid')!, 'pPr'), 'snapToGrid')).not.toBeNull();
    for (const [prefix, style] of [['一、总体推进情况', 'Heading1'], ['（一）', 'Heading2']] as const) {
      const i = texts.findIndex((t) => t.startsWith(prefix));
      expect(i, prefix).toBeGreaterThanOrEqual(0);
      const p = blocks[i]!;
      expect(attr(child(pPr(p), 'pStyle'), 'val')).toBe(style);
      expect(keepsNext(p)).toBe(true);
    }
  });

  it('keeps a small table on one page and lets a long one break with its header repeated', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [{ text: `第${i + 1}行` }, { text: '1' }]);
    const small = fragment((gridTable({ widths: [4000, 4000], header: [{ text: '单位' }, { text: '数' }], rows: rows(13), size: 21, line: 300 }) as XmlBlock).xmlOf());
    const smallRows = Array.from(small.getElementsByTagNameNS(W, 'tr'));
    smallRows.slice(0, -1).forEach((tr) => Array.from(tr.getElementsByTagNameNS(W, 'p')).forEach((p) => expect(keepsNext(p)).toBe(true)));
    Array.from(smallRows.at(-1)!.getElementsByTagNameNS(W, 'p')).forEach((p) => expect(keepsNext(p)).toBe(false));
    const long = fragment((gridTable({ widths: [4000, 4000], header: [{ text: '单位' }, { text: '数' }], rows: rows(60), size: 21, line: 300 }) as XmlBlock).xmlOf());
    const longRows = Array.from(long.getElementsByTagNameNS(W, 'tr'));
    expect(longRows[0]!.getElementsByTagNameNS(W, 'tblHeader').length).toBe(1);
    expect(Array.from(longRows[5]!.getElementsByTagNameNS(W, 'p')).some(keepsNext)).toBe(false);
  });

  it('keeps a label such as 「主要举措：」 with what follows it, and not an ordinary paragraph', () => {
    const blocks = richParagraphs(
      { type: 'doc', content: [p({ b: '主要举措：' }), ol('设立服务中心；', '建立激励机制。'), p('已完成年度目标。')] } as never,
      [],
    ) as XmlBlock[];
    const paras = blocks.map((b) => fragment(b.xmlOf()).getElementsByTagNameNS(W, 'p')[0]!);
    expect(paras.map(textOf)).toEqual(['主要举措：', '（1）设立服务中心；', '（2）建立激励机制。', '已完成年度目标。']);
    expect(paras.map(keepsNext)).toEqual([true, false, false, false]);
  });

  it('the case collection opens with a TOC field over its case headings', async () => {
    const withCase = buildReportModel({
      kind: 'city', corpus: corpus(), units: UNITS, asOf: AS_OF, title: '', issuer: '南京市商务局', signDate: SIGN_DATE,
      annotations: smallAnnotations().map((a) => (a.taskId === 'T1-01' && a.unitCode === '320102' ? { ...a, innovation: true, caseStudy: { name: '赋权改革', field: '科技', approach: '做法', results: '', replicability: '' } } : a)),
      logEntries: smallLogs(), evidence: smallEvidence(), scope: { unitCodes: [], tables: [], statuses: [] },
    });
    if (!withCase.ok) throw new Error(withCase.error.message);
    const r = await renderCasesDocx(withCase.value);
    if (!r.ok) throw new Error(r.error.message);
    const xml = unzipText(r.value)['word/document.xml']!;
    const doc = parseXml(xml);
    expect(Array.from(doc.getElementsByTagNameNS(W, 'instrText')).map((t) => t.textContent)).toEqual([' TOC \\o "1-1" \\h \\z \\u ']);
    const texts = bodyBlocks(doc).map(textOf);
    const heading = texts.indexOf('案例一：赋权改革', texts.indexOf('目\u3000\u3000录') + 2);
    expect(heading).toBeGreaterThan(0);
    expect(texts[texts.indexOf('目\u3000\u3000录') + 1]).toBe('案例一：赋权改革'); // the TOC's entry
    expect(texts).toContain('（二）取得成效');
    expect(texts[texts.indexOf('（二）取得成效') + 1]).toBe('（未填写）');
  });
});

describe('a form given by a person', () => {
  it('is checked with Chinese messages', () => {
    expect(checkForm(FULL)).toEqual([]);
    expect(checkForm({ ...FULL, header: { ...FULL.header!, docNumber: '玄政发2025年012号' } }).join('')).toContain('六角括号');
    expect(checkForm({ ...FULL, recipients: '甲\n乙' }).join('')).toContain('主送机关不能换行');
    expect(checkForm({ ...EMPTY_FORM, printDate: '2025-13-01' }).join('')).toContain('印发日期「2025-13-01」无效');
    expect(normaliseDocNumber('玄政发[2025]12号')).toBe('玄政发〔2025〕12号');
    expect(normaliseDocNumber('玄政发（2025）012号')).toBeNull();
  });
});
