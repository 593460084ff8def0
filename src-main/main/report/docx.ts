/**
 * Word reports in the format of GB/T 9704-2012《党政机关公文格式》 from a report model
 * (`shared/report/model.ts`): the assembler that puts the body (`bodyBlocks`, body.ts) and the
 * annexes (`reportAnnexes`, annexes.ts) into the 公文 frame (`gongwen.ts`). The XML, styles and the
 * package are written by `docxBlocks.ts`; measures are in `gbt9704.ts`.
 */
import { AlignmentType, type ISectionOptions, type Paragraph, type Table } from 'docx';
import { reportCharts } from '../../shared/report/charts';
import type { ReportModel } from '../../shared/report/model';
import { renderChartPngsAsync, type ChartImage } from './charts';
import { bodyBlocks } from './body';
import type { DraftSection } from '../../shared/report/draft';
import { ledgerTable, reportAnnexes } from './annexes';
import { FONTS, LANDSCAPE_TEXT_WIDTH, blockText, charUnits, SIZE, TEXT_WIDTH, keepWithNext, landscapeSection, packDocument, para, portraitSection, run, runsWithBreaks, titlePara } from './docxBlocks';
import { attachmentNote, colophonBlocks, headBlocks, resolveForm, signatureBlocks, titleBlocks } from './gongwen';

export { packDocument } from './docxBlocks';

/** Lines of the body's last paragraph that may move with the 附件说明 and 落款 to the next page. */
const SHORT_ENDING_LINES = 6;
export { signatureIndents } from './gongwen';

export function provenance(m: ReportModel, landscape = false): Paragraph {
  // Ragged right, and the unbreakable 64-character hash on a line of its own: justified, the line
  // before it was stretched letter by letter, and left to wrap, 「（语料哈希）」 broke into three lines.
  const hash = m.meta.corpusHash;
  const text = hash && m.meta.provenance.includes(hash) ? m.meta.provenance.replace(hash, `\n${hash}`) : m.meta.provenance;
  return para(runsWithBreaks(text, { size: SIZE.wu }), {
    indent: false,
    align: AlignmentType.LEFT,
    line: 320,
    before: landscape ? 200 : 400,
  });
}

// ---------------------------------------------------------------------------------------------
// The document

export interface DocxOptions {
  /** Called with each stage for a progress bar (0–1). */
  onProgress?: (fraction: number, stage: string) => void;
  /** Skip the chart pictures (faster; used by tests that only read the XML). */
  charts?: boolean;
  /** The body as the author drafted it (figures already refreshed); absent: the generated body. */
  draft?: readonly DraftSection[];
}

export async function renderReportDocx(model: ReportModel, opts: DocxOptions = {}): Promise<Uint8Array> {
  const m = model;
  const progress = opts.onProgress ?? (() => {});
  progress(0, 'charts');
  // The charts are rasterised on libuv's thread pool while the document is laid out here; their
  // pictures are only needed when the package is written (`chartParagraphs` writes its XML then).
  const specs = opts.charts === false ? [] : reportCharts(m);
  const charts: ChartImage[] = specs.map((s) => ({ id: s.id, caption: s.caption, png: new Uint8Array(0), width: 0, height: 0, cjkFont: false }));
  const chartsDone = renderChartPngsAsync(specs).then((imgs) => imgs.forEach((img, i) => Object.assign(charts[i]!, img)));
  chartsDone.catch(() => {}); // awaited below; a failure while laying out must not also be unhandled
  progress(0.1, 'layout');

  const out = await packDocument(
    { title: m.meta.title, description: m.meta.provenance },
    () => buildSections(m, charts, opts.draft),
    async () => {
      await chartsDone;
      progress(0.7, 'finish');
    },
    () => progress(0.5, 'pack'),
  );
  progress(1, 'done');
  return out;
}

/**
 * The assembler: 公文 frame + body + annexes. A ledger is its table alone (landscape). A progress
 * report: 版头 (if any), title, 主送机关, the body, then — kept together with the body's end — the
 * 附件说明 (its names are the annexes' titles: one list drives both), 落款 and 附注; each annex in
 * its own section (附件N, its title, its blocks); the 说明 line closes the last annex; the 版记 in a
 * last section that starts on an even page.
 */
function buildSections(m: ReportModel, charts: ChartImage[], draft?: readonly DraftSection[]): ISectionOptions[] {
  if (m.meta.kind === 'ledger') {
    const children: (Paragraph | Table)[] = [
      titlePara(m.meta.title, { line: 640, keepNext: true }, LANDSCAPE_TEXT_WIDTH),
      para([run(`填报单位：${m.meta.issuer || m.meta.scopeName}`, { size: SIZE.xiaosi }), run(`\u3000\u3000数据截至：${m.meta.asOfText}`, { size: SIZE.xiaosi })], {
        indent: false,
        align: AlignmentType.LEFT,
        line: 400,
        after: 120,
        keepNext: true,
      }),
      ledgerTable(m.ledger),
      provenance(m, true),
    ];
    return [landscapeSection(children)];
  }
  const form = resolveForm(m.meta);
  const annexes = reportAnnexes(m);
  const bodyPart = bodyBlocks(m, draft ? [...draft] : m.sections, charts);
  // The body's last paragraph joins the chain of 附件说明 and 落款 when it is short: LibreOffice
  // moves a kept paragraph whole, and a chain longer than a page is broken anywhere (a 13-line
  // paragraph split the 附件说明 of the demo city report). A longer one ends its page as it falls,
  // and the chain — never longer than a page — moves whole.
  const last = bodyPart.length - 1;
  if (last >= 0 && charUnits(blockText(bodyPart[last]!)) <= SHORT_ENDING_LINES * 28) bodyPart[last] = keepWithNext(bodyPart[last]!);
  const main: (Paragraph | Table)[] = [
    ...headBlocks(form, m.meta.issuer),
    ...titleBlocks(m.meta.title, form),
    ...bodyPart,
    ...attachmentNote(annexes.map((a) => a.title)),
    ...signatureBlocks(m.meta, form),
  ];
  const sections: ISectionOptions[] = [portraitSection(main)];
  annexes.forEach((a, i) => {
    const width = a.landscape ? LANDSCAPE_TEXT_WIDTH : TEXT_WIDTH;
    const children: (Paragraph | Table)[] = [
      // Heads keep with what follows: LibreOffice does not split the first row under a repeated
      // header, and would otherwise leave the heads alone on a page.
      para([run(`附件${annexes.length > 1 ? i + 1 : ''}`, { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT, keepNext: true }),
      ...(a.landscape ? [] : [para([run('')], { indent: false, keepNext: true })]),
      titlePara(a.title, { line: a.landscape ? 640 : 700, keepNext: true, style: 'Heading1' }, width),
      ...(a.landscape ? [] : [para([run('')], { indent: false, keepNext: true })]),
      ...a.blocks(),
    ];
    if (i === annexes.length - 1) children.push(provenance(m, a.landscape));
    sections.push(a.landscape ? landscapeSection(children) : portraitSection(children));
  });
  if (annexes.length === 0) main.push(provenance(m));
  sections.push(portraitSection(colophonBlocks(form), 'evenPage'));
  return sections;
}
