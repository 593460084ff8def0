/**
 * The one home of the WordprocessingML that the GB/T 9704-2012《党政机关公文格式》 documents (reports,
 * case collection) are written in: runs, paragraphs, headings (Word heading styles with outline
 * levels), rich text, tables, captions, chart pictures, fields, footers, sections, the styles and
 * the font table, and the package writer (`packDocument`). The documents are assembled in `docx.ts`
 * (reports, in the 公文 frame of `gongwen.ts`) and `cases.ts`, which import from here, never the
 * other way. Page, grid, fonts and sizes are the constants of `gbt9704.ts` (re-exported here).
 *
 *  - The generated paragraphs do not snap to the section's grid (paragraph style NoGrid, pPr snapToGrid 0);
 *    they carry the same measure explicitly: exact line spacing 579 and, on 三号 runs, character
 *    spacing −5 twips (16 − 0.25 = 15.75 pt; 28 × 15.75 = 441 pt ≤ 442.2 pt). Reason: LibreOffice
 *    puts a glyph wider than a grid cell into two cells, so a 16 pt character in Word's 15.79 pt
 *    cell would take 31.6 pt there (14 characters a line); snapping also spreads 五号 table text and
 *    the 二号 title over 16 pt cells. With explicit metrics Word, WPS and LibreOffice all give
 *    22 × 28, and tables and titles keep their natural spacing. (Checked in LibreOffice's PDF.)
 *  - Landscape attachments (ledger, matrix) use docGrid `default` (no grid).
 * Fonts: every run names its East Asian font (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体) and
 * Times New Roman for Latin (ascii/hAnsi/cs). `docx` writes a font table only for embedded fonts,
 * so word/fontTable.xml is replaced (Packer overrides, `fontTableXml`) by one that declares each
 * Chinese font with its alternate name (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体, 黑体 → SimHei),
 * charset GB2312 and panose, which is what Word uses when the exact font is not installed.
 * Page numbers: 「— 1 —」 宋体 四号 (14 pt), PAGE field, odd pages right and even pages left, each
 * one character in from the edge of the 版心 (evenAndOddHeaders on).
 * All text passes through `xmlSafe` (here in `run()`), so the document is always well-formed.
 */
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  Tab,
  TabStopType,
  Table,
  TextRun,
  type ISectionOptions,
  type IRunOptions,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';
import type { RichDoc, RichMark, RichNode } from '../../shared/richtext';
import { xmlSafe } from '../../shared/report/sanitize';
import type { ChartImage } from './charts';
import {
  BODY_CHAR_SPACING,
  BODY_LINE,
  CHAR,
  FONTS,
  GRID,
  LANDSCAPE_MARGIN,
  PAGE,
  SIZE,
  TEXT_WIDTH,
} from './gbt9704';

// ---------------------------------------------------------------------------------------------
// Format constants (GB/T 9704-2012): in gbt9704.ts, re-exported for the section modules.

export {
  PAGE,
  GRID,
  TEXT_WIDTH,
  TEXT_HEIGHT,
  LANDSCAPE_MARGIN,
  LANDSCAPE_TEXT_WIDTH,
  LANDSCAPE_TEXT_HEIGHT,
  FONTS,
  SIZE,
  CHAR,
  BODY_CHAR_SPACING,
  BODY_LINE,
} from './gbt9704';
/** Paragraph style without the grid (its pPr holds <w:snapToGrid w:val="0"/>, see `stylesXml`). */
export const NO_GRID_STYLE = 'NoGrid';

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs
//
// The helpers below return `docx` types (TextRun, Paragraph) so that report sections can mix them
// with `docx` objects of their own, but they are written as WordprocessingML strings when they are
// made: a city report has ~10,000 paragraphs and ~25,000 runs, which `docx`'s object tree and
// serialiser took seconds and hundreds of MB for (BENCHMARKS.md). `packDocument` (docx.ts) writes the
// strings into document.xml as they are. A helper's run or paragraph that ends up inside a `docx`
// object (a `new Paragraph({ children: [run('…')] })`, a `new TableCell({ children: [body('…')] })`)
// is serialised by `docx` from the same options instead (`prepForXml` below), so it reads the same.

export type FontName = (typeof FONTS)[keyof typeof FONTS];

export interface RunStyle {
  font?: FontName;
  size?: number;
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  strike?: boolean;
  /** Latin font; Times New Roman unless given (page numbers use 宋体). */
  latin?: string;
  /** Hex colour (the red 发文机关标志); black unless given. */
  color?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Escapes text for a <w:t> node as `docx` does (&, <, >, both quotes). Input is already xmlSafe. */
function escText(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

const rPrCache = new Map<string, string>();
/** <w:rPr> of a run style, in `docx`'s element and attribute order. */
function runPrXml(s: RunStyle): string {
  const latin = s.latin ?? FONTS.latin;
  const size = s.size ?? SIZE.san;
  const key = `${latin}|${s.font ?? ''}|${size}|${s.bold ? 1 : 0}${s.italics ? 1 : 0}${s.underline ? 1 : 0}${s.strike ? 1 : 0}|${s.color ?? ''}`;
  let xml = rPrCache.get(key);
  if (xml === undefined) {
    const l = escText(latin).replace(/"/g, '&quot;');
    xml =
      `<w:rPr><w:rFonts w:ascii="${l}" w:cs="${l}" w:eastAsia="${s.font ?? FONTS.fangsong}" w:hAnsi="${l}"/>` +
      (s.bold ? '<w:b/><w:bCs/>' : '') +
      (s.italics ? '<w:i/><w:iCs/>' : '') +
      (s.strike ? '<w:strike/>' : '') +
      (s.color ? `<w:color w:val="${s.color}"/>` : '') +
      (size === SIZE.san ? `<w:spacing w:val="${BODY_CHAR_SPACING}"/>` : '') +
      `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` +
      (s.underline ? '<w:u w:val="single"/>' : '') +
      '</w:rPr>';
    rPrCache.set(key, xml);
  }
  return xml;
}

/**
 * A run made by `run()` and its kin: a real `TextRun` for TypeScript and `instanceof` (made by its
 * constructor with no options, which builds next to nothing); `xml` is what document.xml gets.
 */
export class XmlRun extends TextRun {
  readonly xml: string;
  readonly source: { text: string; style: RunStyle; lineBreak: boolean; tab: boolean };
  /** `text` must be xmlSafe already. `tab`: a tab character (to the paragraph's tab stop) instead of text. */
  constructor(text: string, style: RunStyle, lineBreak = false, tab = false) {
    super({});
    this.source = { text, style, lineBreak, tab };
    this.xml = tab
      ? `<w:r>${runPrXml(style)}<w:tab/></w:r>`
      : `<w:r>${runPrXml(style)}${lineBreak ? '<w:br/>' : ''}<w:t xml:space="preserve">${escText(text)}</w:t></w:r>`;
  }
  /** One run (docx's TextRun may split into several; this one never does). */
  override get writtenAs(): undefined {
    return undefined;
  }
  /** Only when placed inside a `docx` object: the same run through `docx`. */
  override prepForXml(context: Parameters<TextRun['prepForXml']>[0]): ReturnType<TextRun['prepForXml']> {
    const { text, style, lineBreak, tab } = this.source;
    if (tab) return new TextRun({ ...runOptions('', style), text: undefined, children: [new Tab()] }).prepForXml(context);
    return new TextRun({ ...runOptions(text, style), break: lineBreak ? 1 : undefined }).prepForXml(context);
  }
}

function xmlRun(text: string, style: RunStyle, lineBreak = false): XmlRun {
  return new XmlRun(text, style, lineBreak);
}

/** The only way text enters the document: sanitised, with East Asian and Latin fonts set. */
export function run(text: string, s: RunStyle = {}): TextRun {
  return xmlRun(xmlSafe(text), s);
}

export function runOptions(text: string, s: RunStyle): IRunOptions {
  const latin = s.latin ?? FONTS.latin;
  return {
    text: xmlSafe(text),
    font: { ascii: latin, hAnsi: latin, cs: latin, eastAsia: s.font ?? FONTS.fangsong },
    size: s.size ?? SIZE.san,
    sizeComplexScript: s.size ?? SIZE.san,
    bold: s.bold || undefined,
    italics: s.italics || undefined,
    underline: s.underline ? {} : undefined,
    strike: s.strike || undefined,
    color: s.color,
    // 三号 text is set 0.25 pt tighter (15.75 pt a character) so that 28 characters fill the
    // 442.2 pt line in Word and in LibreOffice alike (see the header comment).
    characterSpacing: (s.size ?? SIZE.san) === SIZE.san ? BODY_CHAR_SPACING : undefined,
  };
}

/** A tab to the paragraph's tab stop (`ParaOpts.tabRight`): text on both ends of one line. */
export function tab(s: RunStyle = {}): TextRun {
  return new XmlRun('', s, false, true);
}

/** Text with line breaks (\n) as runs separated by <w:br/>. */
export function runsWithBreaks(text: string, s: RunStyle): TextRun[] {
  const lines = xmlSafe(text).split('\n');
  return lines.map((line, i) => xmlRun(line, s, i > 0));
}

export interface ParaOpts {
  indent?: boolean;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  left?: number;
  right?: number;
  hanging?: number;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  /** Keep the paragraph's lines on one page. */
  keepLines?: boolean;
  /** Exact line height in twips (default: the grid's 579). */
  line?: number;
  before?: number;
  after?: number;
  /** Paragraph style: a heading style gives the paragraph its outline level (default NoGrid). */
  style?: ParagraphStyleId;
  /** A right-aligned tab stop at this distance from the left margin (twips). */
  tabRight?: number;
  /** Rules above and below the paragraph (版头's red line, 版记's lines), as wide as the 版心. */
  border?: { top?: Rule; bottom?: Rule };
}

/** A paragraph rule: width in eighths of a point, colour, and its distance from the text in points. */
export interface Rule {
  size: number;
  color?: string;
  space?: number;
}

/** The heading styles (Word's built-in heading 1–3, so the navigation pane and a TOC find them). */
export const HEADING_STYLES = ['Heading1', 'Heading2', 'Heading3'] as const;
export type ParagraphStyleId = typeof NO_GRID_STYLE | (typeof HEADING_STYLES)[number];

/** What a block's XML is written with: the package's picture registry. */
export interface WriteContext {
  /** The relationship id of a picture part for `img` (added to the package once). */
  picture(img: ChartImage): string;
}

/**
 * A paragraph or table written as XML: a real `Paragraph` for TypeScript and `instanceof` (made by
 * its constructor with no options). `kind` says which element `xmlOf` writes; a section's
 * properties go into the pPr of its last paragraph, or into an empty paragraph after a table, as
 * `docx` does. `xmlOf` runs when the package is written (a chart's picture may still be rasterising
 * when the block is made).
 */
export class XmlBlock extends Paragraph {
  readonly kind: 'p' | 'tbl';
  readonly xmlOf: (ctx?: WriteContext) => string;
  /** The same paragraph as `docx` objects (absent for tables and pictures written as XML). */
  readonly asDocx?: () => Paragraph;
  constructor(kind: 'p' | 'tbl', xml: string | ((ctx?: WriteContext) => string), asDocx?: () => Paragraph) {
    super({});
    this.kind = kind;
    this.xmlOf = typeof xml === 'string' ? () => xml : xml;
    if (asDocx) this.asDocx = asDocx;
  }
  override get writtenAs(): undefined {
    return undefined;
  }
  override prepForXml(context: Parameters<Paragraph['prepForXml']>[0]): ReturnType<Paragraph['prepForXml']> {
    if (!this.asDocx) throw new Error('表格和图片只能直接放在报告的节中，不能放进 docx 的表格或段落里。');
    return this.asDocx().prepForXml(context);
  }
}

function xmlBlock(kind: 'p' | 'tbl', xml: string | ((ctx?: WriteContext) => string), asDocx?: () => Paragraph): XmlBlock {
  return new XmlBlock(kind, xml, asDocx);
}

function paragraphOptions(o: ParaOpts): IParagraphOptions {
  return {
    style: o.style ?? NO_GRID_STYLE,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: {
      firstLine: o.indent === false || o.hanging ? undefined : 2 * CHAR,
      left: o.left,
      right: o.right,
      hanging: o.hanging,
    },
    spacing: { line: o.line ?? BODY_LINE, lineRule: LineRuleType.EXACT, before: o.before ?? 0, after: o.after ?? 0 },
    keepNext: o.keepNext,
    keepLines: o.keepLines,
    pageBreakBefore: o.pageBreakBefore,
    widowControl: true,
    border: o.border
      ? {
          top: o.border.top && { style: BorderStyle.SINGLE, size: o.border.top.size, color: o.border.top.color ?? '000000', space: o.border.top.space ?? 1 },
          bottom: o.border.bottom && { style: BorderStyle.SINGLE, size: o.border.bottom.size, color: o.border.bottom.color ?? '000000', space: o.border.bottom.space ?? 1 },
        }
      : undefined,
    tabStops: o.tabRight !== undefined ? [{ type: TabStopType.RIGHT, position: o.tabRight }] : undefined,
  };
}

function ruleXml(side: 'top' | 'bottom', r: Rule | undefined): string {
  return r ? `<w:${side} w:val="single" w:color="${r.color ?? '000000'}" w:sz="${r.size}" w:space="${r.space ?? 1}"/>` : '';
}

const onOff = (name: string, v: boolean | undefined) => (v === undefined ? '' : v ? `<w:${name}/>` : `<w:${name} w:val="false"/>`);

/** <w:pPr> of `para()`, in `docx`'s element and attribute order. */
function paraPrXml(o: ParaOpts): string {
  const firstLine = o.indent === false || o.hanging ? undefined : 2 * CHAR;
  const ind =
    (o.left !== undefined ? ` w:left="${o.left}"` : '') +
    (o.right !== undefined ? ` w:right="${o.right}"` : '') +
    (o.hanging !== undefined ? ` w:hanging="${o.hanging}"` : '') +
    (firstLine !== undefined ? ` w:firstLine="${firstLine}"` : '');
  return (
    `<w:pPr><w:pStyle w:val="${o.style ?? NO_GRID_STYLE}"/>` +
    onOff('keepNext', o.keepNext) +
    onOff('keepLines', o.keepLines) +
    (o.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
    '<w:widowControl/>' +
    (o.border ? `<w:pBdr>${ruleXml('top', o.border.top)}${ruleXml('bottom', o.border.bottom)}</w:pBdr>` : '') +
    (o.tabRight !== undefined ? `<w:tabs><w:tab w:val="right" w:pos="${o.tabRight}"/></w:tabs>` : '') +
    `<w:spacing w:after="${o.after ?? 0}" w:before="${o.before ?? 0}" w:line="${o.line ?? BODY_LINE}" w:lineRule="exact"/>` +
    `<w:ind${ind}/><w:jc w:val="${o.align ?? AlignmentType.JUSTIFIED}"/></w:pPr>`
  );
}

/**
 * A paragraph of the report (style NoGrid, exact line height, first line indented two characters
 * unless `indent: false`). Children are runs from `run()`; other `docx` children are allowed too
 * (the paragraph is then a `docx` one).
 */
export function para(children: ParagraphChild[], o: ParaOpts = {}): Paragraph {
  if (!children.every((c) => c instanceof XmlRun)) return new Paragraph({ ...paragraphOptions(o), children });
  const runs = children as XmlRun[];
  let xml = `<w:p>${paraPrXml(o)}`;
  for (const r of runs) xml += r.xml;
  xml += '</w:p>';
  return xmlBlock('p', xml, () => new Paragraph({ ...paragraphOptions(o), children: runs }));
}

/** Body paragraph: 仿宋_GB2312 三号, first line indented two characters. */
export function body(text: string, o: ParaOpts = {}): Paragraph {
  return para(runsWithBreaks(text, {}), o);
}

export function emptyLine(): Paragraph {
  return para([run('')], { indent: false });
}

/**
 * Where a title too long for one line breaks (GB/T 9704 7.3.3: 回行时词意完整，排列对称): before
 * 暨 / 关于 / 推进情况 / 任务清单 if both lines then fit, else as near the middle as possible.
 * Returns the lines (one when it fits). `perLine` is in characters of the title size.
 */
export function titleLines(text: string, perLine: number): string[] {
  const chars = Array.from(text);
  if (charUnits(text) <= perLine) return [text];
  const fits = (i: number) => charUnits(chars.slice(0, i).join('')) <= perLine && charUnits(chars.slice(i).join('')) <= perLine;
  for (const word of ['暨', '关于', '推进情况', '任务清单']) {
    const at = chars.join('').indexOf(word);
    const i = at < 0 ? -1 : Array.from(text.slice(0, at)).length;
    if (i > 0 && fits(i)) return [chars.slice(0, i).join(''), chars.slice(i).join('')];
  }
  const mid = Math.ceil(chars.length / 2);
  for (let d = 0; d < chars.length; d++) {
    for (const i of [mid + d, mid - d]) if (i > 0 && i < chars.length && fits(i)) return [chars.slice(0, i).join(''), chars.slice(i).join('')];
  }
  return [text];
}

/** Title: 方正小标宋简体 二号, centred, broken by `titleLines`; lines 35 pt apart. */
export function titlePara(text: string, o: ParaOpts = {}, width = TEXT_WIDTH): Paragraph {
  const lines = titleLines(xmlSafe(text), Math.floor(width / (SIZE.er * 10)));
  const runs = lines.map((l, i) => xmlRun(l, { font: FONTS.title, size: SIZE.er }, i > 0));
  return para(runs, { align: AlignmentType.CENTER, indent: false, line: 700, ...o });
}

/**
 * Headings in Word's heading styles (outline levels 1–3: the navigation pane and a TOC list them),
 * kept with the next paragraph and on one page. The style carries the outline level only; the runs
 * name their fonts, as every run does.
 */
/** 一、 黑体 三号 (heading 1) */
export function h1(text: string): Paragraph {
  return para([run(text, { font: FONTS.heiti })], { keepNext: true, keepLines: true, style: 'Heading1' });
}
/** （一） 楷体_GB2312 三号 (heading 2) */
export function h2(text: string): Paragraph {
  return para([run(text, { font: FONTS.kaiti })], { keepNext: true, keepLines: true, style: 'Heading2' });
}
/** 1. 仿宋_GB2312 三号 加粗 (heading 3) */
export function h3(text: string): Paragraph {
  return para([run(text, { bold: true })], { keepNext: true, keepLines: true, style: 'Heading3' });
}

/** Text of a paragraph written here (its runs' text), for estimates of its length. */
export function blockText(b: Paragraph | Table): string {
  if (!(b instanceof XmlBlock) || b.kind !== 'p') return '';
  return [...b.xmlOf().matchAll(/<w:t xml:space="preserve">([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/**
 * The same block, kept on the page of the next one (a keep-with-next chain: the body's end, the
 * 附件说明 and the 落款 stay together). A docx `Paragraph` or a table is returned as it is.
 */
export function keepWithNext(b: Paragraph | Table): Paragraph | Table {
  if (!(b instanceof XmlBlock) || b.kind !== 'p') return b;
  const xml = b.xmlOf();
  if (!xml.startsWith('<w:p><w:pPr>') || xml.includes('<w:keepNext/>') || xml.includes('<w:drawing>')) return b;
  const at = xml.indexOf('<w:pStyle');
  if (at < 0) return b;
  const end = xml.indexOf('/>', at) + 2;
  const kept = xml.slice(0, end) + '<w:keepNext/>' + xml.slice(end).replace('<w:keepNext w:val="false"/>', '');
  return xmlBlock('p', kept, b.asDocx);
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

// ---------------------------------------------------------------------------------------------
// Rich text (推进情况, 进展记录) → paragraphs: paragraphs kept, lists numbered as text
// (（1） for the first level, ① below, · for bullets), bold/italic/underline/strike kept.

function inlineRuns(nodes: RichNode[] | undefined, base: RunStyle): TextRun[] {
  const out: TextRun[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      out.push(xmlRun('', base, true));
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const marks = new Set((n.marks ?? []).map((m: RichMark) => m.type));
    const s: RunStyle = {
      ...base,
      bold: base.bold || marks.has('bold'),
      italics: marks.has('italic'),
      underline: marks.has('underline'),
      strike: marks.has('strike'),
    };
    out.push(...runsWithBreaks(n.text, s));
  }
  return out;
}

interface RichCtx {
  /** Runs to put before the first paragraph's text (the item's lead-in). */
  lead: TextRun[];
  base: RunStyle;
  /** Inside a table cell: no first-line indent, no grid. */
  cell?: boolean;
}

/** A short paragraph that ends in a colon introduces what follows (主要举措：). */
function isLabel(nodes: RichNode[] | undefined): boolean {
  const text = (nodes ?? []).map((n) => (n.type === 'text' ? (n.text ?? '') : '')).join('').trim();
  return text.length > 0 && text.length <= 30 && /[：:]$/.test(text);
}

function richBlocks(nodes: RichNode[] | undefined, ctx: RichCtx, depth = 0): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const takeLead = () => {
    const l = ctx.lead;
    ctx.lead = [];
    return l;
  };
  const paraOpts = (extra: ParaOpts = {}): ParaOpts =>
    ctx.cell ? { indent: false, line: 300, ...extra } : { ...extra };
  for (const n of nodes ?? []) {
    switch (n.type) {
      case 'paragraph':
      case 'heading': {
        const runs = inlineRuns(n.content, n.type === 'heading' ? { ...ctx.base, bold: true } : ctx.base);
        if (runs.length === 0 && ctx.lead.length === 0) break; // empty paragraphs are not printed
        // A heading, or a label such as 「主要举措：」, is never left alone at a page's foot.
        const label = n.type === 'heading' || isLabel(n.content);
        out.push(para([...takeLead(), ...runs], paraOpts(label ? { keepNext: true } : {})));
        break;
      }
      case 'blockquote':
        out.push(...richBlocks(n.content, { ...ctx, base: { ...ctx.base, font: FONTS.kaiti } }, depth));
        break;
      case 'bulletList':
      case 'orderedList': {
        const ordered = n.type === 'orderedList';
        const start = typeof n.attrs?.start === 'number' ? n.attrs.start : 1;
        (n.content ?? []).forEach((item, i) => {
          const marker = ordered ? (depth === 0 ? `（${start + i}）` : (CIRCLED[start + i - 1] ?? `${start + i}.`)) : '· ';
          const children = item.content ?? [];
          const [first, ...rest] = children;
          const indent = depth * 2 * CHAR;
          if (first && (first.type === 'paragraph' || first.type === 'heading')) {
            const runs = inlineRuns(first.content, ctx.base);
            out.push(para([...takeLead(), run(marker, ctx.base), ...runs], paraOpts({ left: indent || undefined })));
            out.push(...richBlocks(rest, ctx, depth + 1));
          } else {
            out.push(para([...takeLead(), run(marker, ctx.base)], paraOpts({ left: indent || undefined })));
            out.push(...richBlocks(children, ctx, depth + 1));
          }
        });
        break;
      }
      case 'table': {
        const lead = takeLead();
        if (lead.length) out.push(para(lead, paraOpts()));
        const rows = (n.content ?? []).filter((r) => r.type === 'tableRow');
        const cols = Math.max(1, ...rows.map((r) => (r.content ?? []).length));
        const width = ctx.cell ? 3000 : TEXT_WIDTH;
        const colW = Math.floor(width / cols);
        if (rows.length === 0) break;
        const border = (side: string) => `<w:${side} w:val="single" w:color="auto" w:sz="4"/>`;
        let xml =
          `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${colW * cols}"/>` +
          `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
          `<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>${`<w:gridCol w:w="${colW}"/>`.repeat(cols)}</w:tblGrid>`;
        rows.forEach((r, ri) => {
          const header = ri === 0 && (r.content ?? []).some((c) => c.type === 'tableHeader');
          xml += `<w:tr><w:trPr>${header ? '<w:tblHeader/>' : '<w:tblHeader w:val="off"/>'}</w:trPr>`;
          for (let ci = 0; ci < cols; ci++) {
            const c = (r.content ?? [])[ci];
            const inner = richBlocks(c?.content, { lead: [], base: { size: SIZE.xiaosi, bold: c?.type === 'tableHeader' }, cell: true }, 0);
            const blocks = inner.length ? inner : [para([run('', { size: SIZE.xiaosi })], { indent: false, line: 300 })];
            xml += `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${colW}"/></w:tcPr>${blocks.map(blockXml).join('')}`;
            // A cell ends with a paragraph (docx adds an empty one after a nested table).
            xml += `${(blocks[blocks.length - 1] as XmlBlock).kind === 'tbl' ? '<w:p/>' : ''}</w:tc>`;
          }
          xml += '</w:tr>';
        });
        out.push(xmlBlock('tbl', `${xml}</w:tbl>`));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** XML of a block made by the helpers here (rich text makes nothing else). */
function blockXml(b: Paragraph | Table): string {
  if (!(b instanceof XmlBlock)) throw new Error('rich text block is not an XmlBlock');
  return b.xmlOf();
}

/** A note as paragraphs, the lead-in runs before its first paragraph. */
export function richParagraphs(doc: RichDoc, lead: TextRun[], base: RunStyle = {}): (Paragraph | Table)[] {
  const ctx: RichCtx = { lead, base };
  const out = richBlocks(doc.content, ctx);
  if (ctx.lead.length) out.unshift(para(ctx.lead));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables

export const CELL_MARGIN = { top: 40, bottom: 40, left: 57, right: 57 };

export interface CellText {
  text: string;
  align?: 'left' | 'center' | 'right' | 'both';
  bold?: boolean;
  font?: FontName;
}

interface GridTableOptions {
  widths: number[];
  header: CellText[];
  rows: CellText[][];
  size: number;
  /** Exact line height in twips. */
  line: number;
  /** Rows that may break across pages (too tall for one page). */
  splittable?: (rowIndex: number) => boolean;
  /** Centre data cells vertically (small tables of figures). */
  centreRows?: boolean;
}

/** Escapes sanitised text for an XML text node or attribute. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function rPrXml(size: number, bold: boolean | undefined, font: FontName): string {
  return (
    `<w:rPr><w:rFonts w:ascii="${FONTS.latin}" w:hAnsi="${FONTS.latin}" w:cs="${FONTS.latin}" w:eastAsia="${font}"/>` +
    (bold ? '<w:b/><w:bCs/>' : '') +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>`
  );
}

function cellXml(c: CellText, width: number, o: GridTableOptions, header: boolean, keepNext: boolean): string {
  const rPr = rPrXml(o.size, c.bold, c.font ?? FONTS.fangsong);
  const pPr =
    `<w:pPr><w:pStyle w:val="${NO_GRID_STYLE}"/>${keepNext ? '<w:keepNext/>' : ''}<w:spacing w:before="0" w:after="0" w:line="${o.line}" w:lineRule="exact"/>` +
    `<w:ind w:firstLine="0"/><w:jc w:val="${c.align ?? 'left'}"/></w:pPr>`;
  const paras = xmlSafe(c.text)
    .split('\n')
    .map((line) => `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${xmlText(line)}</w:t></w:r></w:p>`)
    .join('');
  return (
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>` +
    (header ? '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' : '') +
    `<w:tcMar><w:top w:w="${CELL_MARGIN.top}" w:type="dxa"/><w:left w:w="${CELL_MARGIN.left}" w:type="dxa"/>` +
    `<w:bottom w:w="${CELL_MARGIN.bottom}" w:type="dxa"/><w:right w:w="${CELL_MARGIN.right}" w:type="dxa"/></w:tcMar>` +
    // Data cells top-aligned (a row that runs over a page can then be split there).
    `<w:vAlign w:val="${header || o.centreRows ? 'center' : 'top'}"/></w:tcPr>${paras}</w:tc>`
  );
}

/**
 * Tables up to this estimated height (twips, about half the 版心) are kept on one page: a figure
 * table of 13 units must not break after three rows. Longer ones break between rows, the header
 * row repeated.
 */
export const KEEP_TABLE_TWIPS = 6400;

/** Estimated height of a table (rows of their tallest cell, plus cell margins). */
export function tableHeight(o: Pick<GridTableOptions, 'widths' | 'header' | 'rows' | 'size' | 'line'>): number {
  const rowHeight = (cells: CellText[]) =>
    Math.max(1, ...cells.map((c, ci) => estimateLines(c.text, o.widths[ci]!, o.size))) * o.line + CELL_MARGIN.top + CELL_MARGIN.bottom;
  return [o.header, ...o.rows].reduce((h, r) => h + rowHeight(r), 0);
}

/**
 * A bordered table as WordprocessingML: header row repeated on every page (w:tblHeader), rows
 * kept whole (w:cantSplit) unless too tall for a page; a small table (`KEEP_TABLE_TWIPS`) kept on
 * one page by keep-with-next on every row but the last (what Word's 「与下段同页」 on a table does,
 * and what LibreOffice reads as a table that does not split). Written as a string rather than through
 * `docx` objects: a city ledger has ~19,000 cells, which `docx` serialises in seconds, this in
 * milliseconds. Every text goes through `xmlText` (sanitise + escape).
 */
export function gridTableXml(o: GridTableOptions): string {
  const total = o.widths.reduce((a, b) => a + b, 0);
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const keep = tableHeight(o) <= KEEP_TABLE_TWIPS;
  const row = (cells: CellText[], header: boolean, i: number) =>
    `<w:tr><w:trPr>${header || !o.splittable?.(i) ? '<w:cantSplit/>' : ''}${header ? '<w:tblHeader/>' : ''}</w:trPr>` +
    cells.map((c, ci) => cellXml(c, o.widths[ci]!, o, header, keep && i < o.rows.length - 1)).join('') +
    '</w:tr>';
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${total}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid>${o.widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>` +
    row(o.header, true, -1) +
    o.rows.map((r, i) => row(r, false, i)).join('') +
    '</w:tbl>'
  );
}

/**
 * A bordered table (header row repeated on every page) as a block of the section: `gridTableXml`.
 * Put it directly into a section's children, not into a `docx` table or paragraph.
 */
export function gridTable(o: GridTableOptions): Paragraph {
  return xmlBlock('tbl', gridTableXml(o));
}

/** Width of text in character units (CJK = 1, ASCII = ½). */
export function charUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.charCodeAt(0) < 0x2e80 && ch.length === 1 && ch.charCodeAt(0) < 0x1100 ? 0.5 : 1;
  return n;
}

/** Estimated number of lines that `text` takes in a column `width` twips wide at `size` half-points. */
export function estimateLines(text: string, width: number, size: number): number {
  // Whole characters a line, less 10% for line-breaking rules (no 。， at a line's start) and
  // the spacing Word and LibreOffice add between Chinese and Latin text.
  const perLine = Math.max(1, Math.floor((width - CELL_MARGIN.left - CELL_MARGIN.right) / (size * 10)) * 0.9);
  return xmlSafe(text)
    .split('\n')
    .reduce((acc, line) => acc + Math.max(1, Math.ceil(charUnits(line) / perLine)), 0);
}

export const C = 'center' as const;

/** A four-character label broken 2 + 2 (基本/完成, 任务/编号) rather than wherever a narrow column ends; others as they are. */
export function twoByTwo(label: string): string {
  return label.length === 4 ? `${label.slice(0, 2)}\n${label.slice(2)}` : label;
}

export function caption(text: string): Paragraph {
  return para([run(text, { size: SIZE.wu, font: FONTS.heiti })], { align: AlignmentType.CENTER, indent: false, line: 360, after: 120 });
}

export function tableCaption(text: string): Paragraph {
  return para([run(text, { size: SIZE.wu, font: FONTS.heiti })], { align: AlignmentType.CENTER, indent: false, line: 360, before: 120, keepNext: true });
}

/** Escapes an attribute value as `docx` does. */
function escAttr(v: string): string {
  return escText(xmlSafe(v));
}

/**
 * A chart picture, centred, 560 px wide at most (the 版心 is 589.6 px), and its caption 「图n  …」.
 * The picture joins the package when its XML is written (`packDocument`), so a chart still being
 * rasterised may be passed in.
 */
export function chartParagraphs(img: ChartImage, n: number): Paragraph[] {
  const xml = (ctx?: WriteContext) => {
    if (!ctx) throw new Error('chart picture outside packDocument');
    const rId = ctx.picture(img);
    const k = Number(rId.replace(/\D/g, ''));
    // Fit the 版心 width less a little: 8844 twips = 589.6 px at 96 dpi.
    const maxW = 560;
    const w = Math.min(maxW, img.width);
    const h = Math.round((img.height * w) / img.width);
    const cx = w * 9525;
    const cy = h * 9525;
    const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    return (
      '<w:p><w:pPr><w:keepNext/><w:spacing w:after="60" w:before="120"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>' +
      `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent t="0" r="0" b="0" l="0"/>` +
      `<wp:docPr id="${0x7000 + k}" name="${escAttr(img.id)}" descr="${escAttr(img.caption)}" title="${escAttr(img.caption)}"/>` +
      `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
      `<a:graphic xmlns:a="${A}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
      '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="" descr=""/>' +
      '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>' +
      `<pic:blipFill><a:blip r:embed="${rId}" cstate="none"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
      `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
      '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    );
  };
  return [xmlBlock('p', xml), caption(`图${n}  ${img.caption}`)];
}

// ---------------------------------------------------------------------------------------------
// Footers: 「— 1 —」, 宋体 四号, odd right / even left, one character in.

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const s: RunStyle = { font: FONTS.song, latin: FONTS.song, size: SIZE.si };
  const opts = runOptions('', s);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({ ...opts, text: undefined, children: ['— ', PageNumber.CURRENT, ' —'] }),
        ],
      }),
    ],
  });
}

const FOOTERS = () => ({ default: pageNumberFooter('odd'), even: pageNumberFooter('even') });

/**
 * A portrait section. `evenPage`: it starts on the next even page (a blank page is put in when the
 * last page was even) — the 版记 section, which GB/T 9704 puts on the document's last, even page.
 */
export function portraitSection(children: (Paragraph | Table)[], start: 'nextPage' | 'evenPage' = 'nextPage'): ISectionOptions {
  return {
    properties: {
      ...(start === 'evenPage' ? { type: SectionType.EVEN_PAGE } : {}),
      page: {
        size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
        margin: { ...PAGE.margin, header: PAGE.header, footer: PAGE.footer, gutter: 0 },
      },
      grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: GRID.linePitch, charSpace: GRID.charSpace },
    },
    footers: FOOTERS(),
    children,
  };
}

export function landscapeSection(children: (Paragraph | Table)[]): ISectionOptions {
  return {
    properties: {
      page: {
        // docx swaps width and height for a landscape orientation: w:w = 16838, w:h = 11906.
        size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.LANDSCAPE },
        margin: { ...LANDSCAPE_MARGIN, header: PAGE.header, footer: 1134, gutter: 0 },
      },
      grid: { type: DocumentGridType.DEFAULT, linePitch: 312 },
    },
    footers: FOOTERS(),
    children,
  };
}


// ---------------------------------------------------------------------------------------------
// Fields

/**
 * A table of contents (TOC field over heading 1–`levels`), its result already filled with `entries`
 * (the headings' texts, without page numbers) so it reads right before anyone updates it; Word's
 * 「更新目录」 (F9) replaces it with page numbers and links.
 */
export function tocBlocks(entries: string[], levels = 1): Paragraph[] {
  const instr = ` TOC \\o "1-${levels}" \\h \\z \\u `;
  const entryPr = (first: boolean) =>
    `<w:pPr><w:pStyle w:val="TOC1"/><w:widowControl/><w:spacing w:after="0" w:before="0" w:line="${BODY_LINE}" w:lineRule="exact"/>` +
    `<w:ind w:left="${2 * CHAR}"/><w:jc w:val="left"/></w:pPr>` +
    (first ? `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">${instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` : '');
  const list = entries.length ? entries : [''];
  return list.map((e, i) => {
    const end = i === list.length - 1 ? '<w:r><w:fldChar w:fldCharType="end"/></w:r>' : '';
    const text = xmlSafe(e);
    return xmlBlock('p', `<w:p>${entryPr(i === 0)}${xmlRun(text, {}).xml}${end}</w:p>`);
  });
}

// ---------------------------------------------------------------------------------------------
// The package: styles, font table, document.xml and pictures

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

/** Font table with alternate names (replaces docx's, which only lists embedded fonts). */
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

/**
 * word/styles.xml, written here whole (a Packer override, as the font table) rather than by `docx`:
 * `docx` cannot give a paragraph style <w:snapToGrid w:val="0"/> (it knows snapToGrid only on runs),
 * and its built-in heading styles carry its own fonts, sizes and colours.
 *  - Normal states its size and fonts itself: Word and LibreOffice derive the grid's character
 *    pitch from Normal (16 pt + charSpace), and LibreOffice ignores docDefaults there (it would
 *    assume 12 pt and put each 16 pt character into two grid cells).
 *  - NoGrid: every generated paragraph (no snapping to the grid; see the header comment).
 *  - heading 1–3 (Word's built-in names, so the navigation pane and TOC fields know them): NoGrid
 *    with an outline level, kept with the next paragraph; bold, colour and spacing stated, so that
 *    neither Word's nor LibreOffice's own heading defaults show through.
 *  - toc 1: the entries of a TOC field.
 */
export function stylesXml(): string {
  const fonts = (east: string) => `<w:rFonts w:ascii="${FONTS.latin}" w:eastAsia="${east}" w:hAnsi="${FONTS.latin}" w:cs="${FONTS.latin}"/>`;
  const baseRun = `<w:rPr>${fonts(FONTS.fangsong)}<w:sz w:val="${SIZE.san}"/><w:szCs w:val="${SIZE.san}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>`;
  const heading = (level: number, east: string, bold: boolean) =>
    `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="${NO_GRID_STYLE}"/>` +
    `<w:next w:val="${NO_GRID_STYLE}"/><w:uiPriority w:val="9"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="0" w:line="${BODY_LINE}" w:lineRule="exact"/><w:outlineLvl w:val="${level - 1}"/></w:pPr>` +
    `<w:rPr>${fonts(east)}<w:b w:val="${bold ? 1 : 0}"/><w:bCs w:val="${bold ? 1 : 0}"/><w:i w:val="0"/><w:iCs w:val="0"/><w:color w:val="000000"/>` +
    `<w:sz w:val="${SIZE.san}"/><w:szCs w:val="${SIZE.san}"/></w:rPr></w:style>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W_NS}">` +
    `<w:docDefaults><w:rPrDefault>${baseRun}</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="${BODY_LINE}" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>${baseRun}</w:style>` +
    `<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
    `<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `<w:style w:type="paragraph" w:styleId="${NO_GRID_STYLE}"><w:name w:val="No Grid"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
    `<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="300" w:lineRule="exact"/></w:pPr></w:style>` +
    heading(1, FONTS.heiti, false) +
    heading(2, FONTS.kaiti, false) +
    heading(3, FONTS.fangsong, true) +
    `<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="${NO_GRID_STYLE}"/><w:next w:val="${NO_GRID_STYLE}"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>` +
    `<w:pPr><w:spacing w:line="${BODY_LINE}" w:lineRule="exact"/></w:pPr></w:style>` +
    `</w:styles>`
  );
}

/**
 * Writes a document of these blocks as .docx bytes. `build` lays out the sections; `beforeWrite`
 * is awaited after `docx` has packed the skeleton and before document.xml is written (the report
 * awaits its charts there: pictures are read only then).
 */
export async function packDocument(
  meta: { title: string; description: string },
  build: () => ISectionOptions[],
  beforeWrite: () => Promise<void> = async () => {},
  onPack: () => void = () => {},
): Promise<Uint8Array> {
  // `docx` writes the package around the text: settings, footers, section properties and any
  // `docx` object a section holds. Each run of blocks written as XML is one placeholder paragraph
  // there, replaced by the blocks' XML when document.xml is written.
  const groups: XmlBlock[][] = [];
  const skeleton = build().map((s) => ({ ...s, children: skeletonChildren(s.children, groups) }));
  const doc = new Document({
    creator: 'Pilot Desk',
    title: xmlSafe(meta.title),
    description: xmlSafe(meta.description),
    evenAndOddHeaderAndFooters: true,
    sections: skeleton,
  });
  onPack();
  const buf = await Packer.toBuffer(doc, false, [
    { path: 'word/fontTable.xml', data: fontTableXml() },
    { path: 'word/styles.xml', data: stylesXml() },
  ]);
  const files = unzipSync(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  await beforeWrite();
  return writePackage(files, groups);
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
function writeDocumentXml(skeleton: string, groups: XmlBlock[][], ctx: WriteContext, emit: (xml: string) => void): void {
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
      const xml = b.xmlOf(ctx);
      if (!sectPr || i < blocks.length - 1) return emit(xml);
      if (b.kind === 'tbl') return emit(`${xml}<w:p><w:pPr>${sectPr}</w:pPr></w:p>`);
      const p = xml.indexOf('</w:pPr>');
      emit(xml.slice(0, p) + sectPr + xml.slice(p));
    });
    pos = end + '</w:p>'.length;
  }
  emit(skeleton.slice(pos));
}

/** The .docx: `docx`'s parts (document.xml written from the blocks, first) and the pictures it placed, zipped once. */
function writePackage(files: Record<string, Uint8Array>, groups: XmlBlock[][]): Uint8Array {
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
  // The pictures of this document, numbered as document.xml places them.
  const pictures: { rId: string; part: string; img: ChartImage }[] = [];
  const ctx: WriteContext = {
    picture(img) {
      const k = pictures.length + 1;
      const rId = `rIdPdChart${k}`;
      pictures.push({ rId, part: `media/pd-chart${k}.png`, img });
      return rId;
    },
  };
  const documentXml = files['word/document.xml'];
  if (!documentXml) throw new Error('docx wrote no word/document.xml');
  {
    const f = new ZipDeflate('word/document.xml', { level: 6 });
    zip.add(f);
    // Written in pieces of ~64 k characters: the whole XML (25 MB for a city report) is never
    // one string or one buffer.
    let pending = '';
    writeDocumentXml(strFromU8(documentXml), groups, ctx, (xml) => {
      pending += xml;
      if (pending.length >= 65536) {
        f.push(strToU8(pending));
        pending = '';
      }
    });
    f.push(strToU8(pending), true);
  }
  for (const [name, data] of Object.entries(files)) {
    if (name === 'word/document.xml') continue;
    if (name === 'word/_rels/document.xml.rels' && pictures.length) {
      const rels = pictures
        .map((i) => `<Relationship Id="${i.rId}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${i.part}"/>`)
        .join('');
      add(name, strToU8(strFromU8(data).replace('</Relationships>', `${rels}</Relationships>`)));
    } else add(name, data, !/\.(png|jpe?g|gif)$/i.test(name));
  }
  for (const i of pictures) {
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
