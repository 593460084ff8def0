/**
 * Word reports in the format of GB/T 9704-2012《党政机关公文格式》, built with the `docx` package
 * from a report model (`shared/report/model.ts`). This file only lays out what the model holds, from
 * the blocks in `docxBlocks.ts` (page, grid, fonts and the reasons for them are described there),
 * and writes the package (font table, styles, document.xml).
 */
import { AlignmentType, Document, LineRuleType, Packer, Paragraph, Table, TextRun, type ISectionOptions } from 'docx';
import { reportCharts } from '../../shared/report/charts';
import type { ReportModel } from '../../shared/report/model';
import { xmlSafe } from '../../shared/report/sanitize';
import { renderChartPngsAsync, type ChartImage } from './charts';
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { bodyBlocks } from './body';
import type { DraftSection } from '../../shared/report/draft';
import { ledgerTable, reportAnnexes } from './annexes';
import {
  BODY_LINE,
  CHAR,
  FONTS,
  LANDSCAPE_TEXT_WIDTH,
  type MediaSink,
  NO_GRID_STYLE,
  SIZE,
  XmlBlock,
  body,
  charUnits,
  emptyLine,
  landscapeSection,
  para,
  portraitSection,
  run,
  titlePara,
  withMediaSink,
} from './docxBlocks';

/** 附件：1. … (name lines aligned with the first name, GB/T 9704 7.3.4). */
function attachmentNote(names: string[]): Paragraph[] {
  if (names.length === 0) return [];
  if (names.length === 1) return [emptyLine(), body(`附件：${names[0]}`)];
  return [
    emptyLine(),
    ...names.map((n, i) =>
      i === 0 ? body(`附件：1. ${n}`) : para([run(`${i + 1}. ${n}`)], { indent: false, left: 5 * CHAR }),
    ),
  ];
}

/**
 * 发文机关署名 and 成文日期 of a document without a seal (GB/T 9704 7.3.5.2): the issuer right-aligned
 * two characters in; the date on the next line, its first character two characters right of the
 * issuer's; when the date is the longer, the date is two characters in and the issuer moves left.
 */
export function signatureIndents(issuer: string, date: string): { issuerRight: number; dateRight: number } {
  // Word and LibreOffice add about a quarter character between Chinese and Latin text.
  const width = (t: string) => charUnits(t) + 0.25 * (t.match(/[0-9A-Za-z](?=[^ -~])|[^ -~](?=[0-9A-Za-z])/g)?.length ?? 0);
  const il = width(issuer);
  const dl = width(date);
  const dateRight = Math.max(2, il - dl);
  const issuerRight = dateRight + dl + 2 - il;
  return { issuerRight: Math.round(issuerRight * CHAR), dateRight: Math.round(dateRight * CHAR) };
}

function signature(m: ReportModel): Paragraph[] {
  const { issuerRight, dateRight } = signatureIndents(m.meta.issuer, m.meta.signDateText);
  const out: Paragraph[] = [emptyLine()];
  if (m.meta.issuer) out.push(para([run(m.meta.issuer)], { align: AlignmentType.RIGHT, indent: false, right: issuerRight, keepNext: true }));
  out.push(para([run(m.meta.signDateText)], { align: AlignmentType.RIGHT, indent: false, right: dateRight }));
  return out;
}

export function provenance(m: ReportModel, landscape = false): Paragraph {
  return para([run(m.meta.provenance, { size: SIZE.wu })], {
    indent: false,
    line: 320,
    before: landscape ? 200 : 400,
  });
}

// ---------------------------------------------------------------------------------------------
// Font table with alternate names (replaces docx's, which only lists embedded fonts).

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
interface FontDecl {
  name: string;
  altName?: string;
  panose: string;
  charset: string;
  family: 'modern' | 'roman' | 'swiss' | 'auto';
  pitch: 'fixed' | 'variable';
}
export const FONT_DECLARATIONS: FontDecl[] = [
  { name: FONTS.fangsong, altName: '仿宋', panose: '02010609030101010101', charset: '86', family: 'roman', pitch: 'fixed' },
  { name: FONTS.kaiti, altName: '楷体', panose: '02010609030101010101', charset: '86', family: 'roman', pitch: 'fixed' },
  { name: FONTS.title, altName: '宋体', panose: '02000000000000000000', charset: '86', family: 'roman', pitch: 'variable' },
  { name: FONTS.heiti, altName: 'SimHei', panose: '02010609060101010101', charset: '86', family: 'swiss', pitch: 'fixed' },
  { name: FONTS.song, altName: 'SimSun', panose: '02010600030101010101', charset: '86', family: 'roman', pitch: 'variable' },
  { name: FONTS.latin, panose: '02020603050405020304', charset: '00', family: 'roman', pitch: 'variable' },
];

export function fontTableXml(): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const fonts = FONT_DECLARATIONS.map(
    (f) =>
      `<w:font w:name="${esc(f.name)}">` +
      (f.altName ? `<w:altName w:val="${esc(f.altName)}"/>` : '') +
      `<w:panose1 w:val="${f.panose}"/><w:charset w:val="${f.charset}"/><w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/>` +
      `</w:font>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="${W_NS}">${fonts}</w:fonts>`;
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
 * Writes a document of this module's sections (GB/T 9704 styles) as .docx bytes. `build` runs with
 * the picture sink open (charts may be placed); `beforeWrite` is awaited after `docx` has packed the
 * skeleton and before document.xml is written (the report awaits its charts there).
 */
export async function packDocument(
  meta: { title: string; description: string },
  build: () => ISectionOptions[],
  beforeWrite: () => Promise<void> = async () => {},
  onPack: () => void = () => {},
): Promise<Uint8Array> {
  // `docx` writes the package around the text: styles, settings, footers, section properties and
  // any `docx` object a section holds. Each run of blocks written as XML is one placeholder
  // paragraph there, replaced by the blocks' XML when document.xml is written.
  const media: MediaSink = { images: [] };
  const groups: XmlBlock[][] = [];
  const skeleton = withMediaSink(media, () => build().map((s) => ({ ...s, children: skeletonChildren(s.children, groups) })));
  const doc = new Document({
    creator: 'Pilot Desk',
    title: xmlSafe(meta.title),
    description: xmlSafe(meta.description),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { ...BASE_RUN },
          paragraph: { spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT } },
        },
      },
      paragraphStyles: [
        // Normal states its size and fonts itself: Word and LibreOffice derive the grid's
        // character pitch from Normal (16 pt + charSpace), and LibreOffice ignores docDefaults
        // there (it would assume 12 pt and put each 16 pt character into two grid cells).
        { id: 'Normal', name: 'Normal', quickFormat: true, run: { ...BASE_RUN } },
        { id: NO_GRID_STYLE, name: 'No Grid', basedOn: 'Normal', paragraph: { spacing: { line: 300, lineRule: LineRuleType.EXACT } } },
      ],
    },
    sections: skeleton,
  });
  onPack();
  const buf = await Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
  const files = unzipSync(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  await beforeWrite();
  return writePackage(files, groups, media);
}


const PLACEHOLDER = '@@PILOT-DESK-BLOCKS-';

/** A section's children for `docx`: each run of XmlBlocks → one placeholder paragraph (its blocks go to `groups`). */
function skeletonChildren(children: ISectionOptions['children'], groups: XmlBlock[][]): ISectionOptions['children'] {
  const out: ISectionOptions['children'][number][] = [];
  let group: XmlBlock[] | null = null;
  for (const c of children) {
    if (c instanceof XmlBlock) {
      if (!group) {
        group = [];
        out.push(new Paragraph({ children: [new TextRun(`${PLACEHOLDER}${groups.length}@@`)] }));
        groups.push(group);
      }
      group.push(c);
    } else {
      group = null;
      out.push(c);
    }
  }
  return out;
}

/**
 * Writes document.xml: the skeleton's XML with each placeholder paragraph replaced by its blocks.
 * A section's properties that `docx` put into the placeholder go where `docx` puts them: into the
 * pPr of the last paragraph, or after a table into an empty paragraph of their own.
 */
function writeDocumentXml(skeleton: string, groups: XmlBlock[][], emit: (xml: string) => void): void {
  let pos = 0;
  for (let gi = 0; gi < groups.length; gi++) {
    const at = skeleton.indexOf(`${PLACEHOLDER}${gi}@@`, pos);
    const start = at < 0 ? -1 : skeleton.lastIndexOf('<w:p>', at);
    const end = at < 0 ? -1 : skeleton.indexOf('</w:p>', at);
    if (start < 0 || end < 0) throw new Error(`placeholder ${gi} not found in document.xml`);
    emit(skeleton.slice(pos, start));
    const placeholder = skeleton.slice(start, end);
    const s = placeholder.indexOf('<w:sectPr');
    const sectPr = s < 0 ? '' : placeholder.slice(s, placeholder.lastIndexOf('</w:sectPr>') + '</w:sectPr>'.length);
    const blocks = groups[gi]!;
    groups[gi] = [];
    blocks.forEach((b, i) => {
      const xml = b.xmlOf();
      if (!sectPr || i < blocks.length - 1) return emit(xml);
      if (b.kind === 'tbl') return emit(`${xml}<w:p><w:pPr>${sectPr}</w:pPr></w:p>`);
      const p = xml.indexOf('</w:pPr>');
      emit(xml.slice(0, p) + sectPr + xml.slice(p));
    });
    pos = end + '</w:p>'.length;
  }
  emit(skeleton.slice(pos));
}

/** The .docx: `docx`'s parts (styles patched, document.xml written from the blocks) and the charts, zipped once. */
function writePackage(files: Record<string, Uint8Array>, groups: XmlBlock[][], media: MediaSink): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else chunks.push(data);
  });
  const add = (name: string, data: Uint8Array, deflate = true) => {
    const f = deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    zip.add(f);
    f.push(data, true);
  };
  for (const [name, data] of Object.entries(files)) {
    if (name === 'word/styles.xml') add(name, strToU8(patchStylesXml(strFromU8(data))));
    else if (name === 'word/_rels/document.xml.rels' && media.images.length) {
      const rels = media.images
        .map((i) => `<Relationship Id="${i.rId}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${i.part}"/>`)
        .join('');
      add(name, strToU8(strFromU8(data).replace('</Relationships>', `${rels}</Relationships>`)));
    } else if (name === 'word/document.xml') {
      const f = new ZipDeflate(name, { level: 6 });
      zip.add(f);
      // Written in pieces of ~64 k characters: the whole XML (25 MB for a city report) is never
      // one string or one buffer.
      let pending = '';
      writeDocumentXml(strFromU8(data), groups, (xml) => {
        pending += xml;
        if (pending.length >= 65536) {
          f.push(strToU8(pending));
          pending = '';
        }
      });
      f.push(strToU8(pending), true);
    } else add(name, data, !/\.(png|jpe?g|gif)$/i.test(name));
  }
  for (const i of media.images) {
    if (!i.img.png.length) throw new Error(`chart ${i.img.id} has no picture`);
    add(`word/${i.part}`, i.img.png, false);
  }
  zip.end();
  if (failure) throw failure;
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function buildSections(m: ReportModel, charts: ChartImage[], draft?: readonly DraftSection[]): ISectionOptions[] {
  const sections: ISectionOptions[] = [];
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
    sections.push(landscapeSection(children));
  } else {
    const annexes = reportAnnexes(m);
    const main: (Paragraph | Table)[] = [
      titlePara(m.meta.title),
      emptyLine(),
      ...bodyBlocks(m, draft ? [...draft] : m.sections, charts),
      ...attachmentNote(annexes.map((a) => a.title)),
      ...signature(m),
    ];
    if (!annexes.length) main.push(provenance(m));
    sections.push(portraitSection(main));
    annexes.forEach((a, i) => {
      // Headings keep with what follows: LibreOffice does not split the first row under a repeated
      // header, and would otherwise leave the headings alone on a page.
      const children: (Paragraph | Table)[] = [
        para([run(`附件${i + 1}`, { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT, keepNext: true }),
        titlePara(a.title, { line: 640, keepNext: true }, a.landscape ? LANDSCAPE_TEXT_WIDTH : undefined),
        ...a.blocks(),
      ];
      // The 说明 line closes the document.
      if (i === annexes.length - 1) children.push(provenance(m, a.landscape));
      sections.push(a.landscape ? landscapeSection(children) : portraitSection(children));
    });
  }

  return sections;
}

export const BASE_RUN = {
  font: { ascii: FONTS.latin, hAnsi: FONTS.latin, cs: FONTS.latin, eastAsia: FONTS.fangsong },
  size: SIZE.san,
  sizeComplexScript: SIZE.san,
  language: { value: 'en-US', eastAsia: 'zh-CN' },
};

/**
 * `docx` has no paragraph-level snapToGrid, so the NoGrid style gets it here: its pPr starts with
 * <w:snapToGrid w:val="0"/> (first in CT_PPrBase order among what the style holds).
 */
export function patchStylesXml(xml: string): string {
  const re = new RegExp(`(<w:style [^>]*w:styleId="${NO_GRID_STYLE}"[^>]*>(?:(?!</w:style>)[\\s\\S])*?<w:pPr>)`);
  if (!re.test(xml)) throw new Error('NoGrid style without pPr in styles.xml');
  return xml.replace(re, '$1<w:snapToGrid w:val="0"/>');
}
