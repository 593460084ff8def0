/**
 * The Word report's paragraphs are written as XML strings (not through `docx`'s object tree), so
 * these tests hold the strings to what `docx` itself writes for the same options, check that the
 * helpers still work inside `docx` objects (other report sections may mix them), and that the
 * chart pictures written beside the strings are in the package and referenced correctly.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import {
  FONTS,
  SIZE,
  XmlBlock,
  body,
  caption,
  emptyLine,
  h1,
  h2,
  h3,
  para,
  richParagraphs,
  run,
  runsWithBreaks,
  tableCaption,
  titlePara,
} from '../../src-main/main/report/docxBlocks';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { AS_OF, SIGN_DATE, UNITS, corpus, doc, ol, p, parseXml, smallAnnotations, smallEvidence, smallLogs, ul, unzipText, xmlError } from './report-fixtures';
import type { RichNode } from '../../src-main/shared/richtext';

async function documentXml(children: (Paragraph | Table)[]): Promise<string> {
  const d = new Document({ sections: [{ children }] });
  const files = unzipText(new Uint8Array(await Packer.toBuffer(d)));
  const xml = files['word/document.xml']!;
  return xml.slice(xml.indexOf('<w:body>') + '<w:body>'.length, xml.indexOf('<w:sectPr'));
}

const rich: RichNode[] = [
    p('第一段', { b: '加粗' }, '<&>"\'引号'),
    { type: 'paragraph', content: [{ type: 'text', text: '斜体', marks: [{ type: 'italic' }] }, { type: 'hardBreak' }, { type: 'text', text: '下划线删除线', marks: [{ type: 'underline' }, { type: 'strike' }] }] },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '小标题' }] },
    { type: 'blockquote', content: [p('引用段落\n第二行')] },
    ol('有序一', '有序二'),
    ul('无序一'),
  { type: 'orderedList', content: [{ type: 'listItem', content: [p('外层'), ol('内层甲', '内层乙')] }] },
];

describe('paragraphs written as XML', () => {
  it('are what docx writes for the same runs and paragraph options', async () => {
    const blocks: Paragraph[] = [
      titlePara('南京市服务业扩大开放综合试点推进情况暨三年评估报告'),
      emptyLine(),
      h1('一、总体推进情况'),
      h2('（一）总体情况'),
      h3('1. 科技创新'),
      body('正文 Latin 123 与 <&> 符号\n第二行'),
      caption('图1  各表任务完成状态分布'),
      tableCaption('表1  各表任务推进情况'),
      para([run('署名', { size: SIZE.wu, font: FONTS.song, latin: FONTS.song })], { align: AlignmentType.RIGHT, indent: false, right: 640, keepNext: true }),
      para([run('附件：', {}), run('2. 名称')], { indent: false, left: 1600, before: 120, after: 60, line: 300, pageBreakBefore: true }),
      para([run('悬挂', { bold: true, italics: true, underline: true, strike: true })], { hanging: 320 }),
      para([...runsWithBreaks('三行\n文字\n', { font: FONTS.kaiti })]),
      ...(richParagraphs(doc(...rich), [run('玄武区（序时推进）：', { font: FONTS.kaiti })]) as Paragraph[]),
    ];
    expect(blocks.every((b) => b instanceof XmlBlock)).toBe(true);
    const mine = blocks.map((b) => (b as XmlBlock).xmlOf()).join('');
    // The same blocks serialised by docx (each XmlBlock turns back into docx objects for that).
    const theirs = await documentXml(blocks);
    expect(xmlError(`<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${mine}</w:body>`)).toBeNull();
    expect(mine).toBe(theirs);
    expect(mine).toContain('&lt;&amp;&gt;&quot;&apos;引号');
  });

  it('work inside docx objects: a run in a docx paragraph, a body paragraph in a docx table cell', async () => {
    const mixed = para([run('甲', { bold: true }), new TextRun({ text: '乙' })]);
    expect(mixed instanceof XmlBlock).toBe(false); // a docx paragraph, since it holds a docx run
    const xml = await documentXml([
      mixed,
      new Paragraph({ children: [run('丙', { font: FONTS.heiti })] }),
      new Table({ rows: [new TableRow({ children: [new TableCell({ children: [body('丁')] })] })] }),
    ]);
    const d = parseXml(`<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${xml}</w:body>`);
    const runs = Array.from(d.getElementsByTagName('w:r')).map((r) => ({
      text: r.getElementsByTagName('w:t')[0]?.textContent,
      font: r.getElementsByTagName('w:rFonts')[0]?.getAttribute('w:eastAsia') ?? null,
      bold: r.getElementsByTagName('w:b').length > 0,
    }));
    expect(runs).toEqual([
      { text: '甲', font: FONTS.fangsong, bold: true },
      { text: '乙', font: null, bold: false },
      { text: '丙', font: FONTS.heiti, bold: false },
      { text: '丁', font: FONTS.fangsong, bold: false },
    ]);
    // The cell's paragraph is exactly body()'s.
    expect(xml).toContain((body('丁') as XmlBlock).xmlOf());
  });
});

describe('chart pictures', () => {
  function cityModel(): ReportModel {
    const r = buildReportModel({
      kind: 'city',
      corpus: corpus(),
      units: UNITS,
      annotations: smallAnnotations(),
      logEntries: smallLogs(),
      evidence: smallEvidence(),
      scope: { unitCodes: [], tables: [], statuses: [] },
      asOf: AS_OF,
      title: '',
      issuer: '南京市商务局',
      signDate: SIGN_DATE,
      appVersion: '0.1.0',
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  it('are PNG parts of the package that the document points at, drawn at their aspect ratio', async () => {
    const stages: string[] = [];
    const bytes = await renderReportDocx(cityModel(), { onProgress: (_f, s) => stages.push(s) });
    expect(stages.at(-1)).toBe('done');
    const raw = unzipSync(bytes);
    const text = unzipText(bytes);
    for (const [name, xml] of Object.entries(text)) if (name.endsWith('.xml') || name.endsWith('.rels')) expect(xmlError(xml), name).toBeNull();
    const documentXml = text['word/document.xml']!;
    const rels = parseXml(text['word/_rels/document.xml.rels']!);
    const relById = new Map(Array.from(rels.getElementsByTagName('Relationship')).map((r) => [r.getAttribute('Id')!, r]));
    expect(text['[Content_Types].xml']).toMatch(/Extension="png"/);

    const d = parseXml(documentXml);
    const drawings = Array.from(d.getElementsByTagName('wp:inline'));
    expect(drawings.map((i) => i.getElementsByTagName('wp:docPr')[0]!.getAttribute('name'))).toEqual(['status-by-table', 'status-by-unit']);
    const docPrIds = Array.from(d.getElementsByTagName('wp:docPr')).map((e) => e.getAttribute('id'));
    expect(new Set(docPrIds).size).toBe(docPrIds.length);
    for (const inline of drawings) {
      const rId = inline.getElementsByTagName('a:blip')[0]!.getAttribute('r:embed')!;
      const rel = relById.get(rId);
      expect(rel?.getAttribute('Type')).toBe('http://schemas.openxmlformats.org/officeDocument/2006/relationships/image');
      const png = raw[`word/${rel!.getAttribute('Target')}`]!;
      expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const view = new DataView(png.buffer, png.byteOffset);
      const [pw, ph] = [view.getUint32(16), view.getUint32(20)];
      expect(pw).toBeGreaterThanOrEqual(1500); // rasterised at 2.5 × 760 px
      const ext = inline.getElementsByTagName('wp:extent')[0]!;
      const [cx, cy] = [Number(ext.getAttribute('cx')), Number(ext.getAttribute('cy'))];
      expect(cx).toBe(560 * 9525); // 560 px wide in the 589.6 px 版心
      expect(Math.abs(cy / cx - ph / pw)).toBeLessThan(0.005);
    }
    // Every picture in the package is used once.
    const media = Object.keys(raw).filter((k) => k.startsWith('word/media/'));
    expect(media.length).toBe(2);
    expect(documentXml).toContain('图1  各表任务完成状态分布');
    expect(documentXml).toContain('图2  各单位任务完成状态分布');
  }, 180_000);
});
