/**
 * The building blocks of the GB/T 9704-2012《党政机关公文格式》 documents (reports, case collection):
 * page and grid, fonts, runs, paragraphs, headings, rich text, tables, captions, chart pictures,
 * footers and sections. The documents themselves are assembled in `docx.ts` and its section modules
 * (`changes.ts`, `progress.ts`, `cases.ts`), which all import from here and never the other way.
 *
 * Page and grid (all in twips, 1 mm = 56.7 twips):
 *  - A4 11906 × 16838; margins top 37 mm = 2098, bottom 35 mm = 1984, left 28 mm = 1588,
 *    right 26 mm = 1474 → 版心 156 mm × 225 mm = 8844 × 12756.
 *  - 22 lines: 12756 / 22 = 579.8 → linePitch 579 (28.95 pt).
 *  - 28 characters: 8844 / 28 = 315.86 twips = 15.793 pt per character. Word's charSpace is the
 *    difference from the Normal style's font size (三号 16 pt) in 1/4096 pt:
 *    (15.793 − 16) × 4096 = −848.5 → charSpace −849 (the value of Word's own 公文 templates).
 *    The section declares that grid: `w:docGrid w:type="linesAndChars" w:linePitch="579"
 *    w:charSpace="-849"`, which is what Word's 页面设置 shows (每页 22 行, 每行 28 字).
 *  - But the generated paragraphs do not snap to it (paragraph style NoGrid, pPr snapToGrid 0);
 *    they carry the same measure explicitly: exact line spacing 579 and, on 三号 runs, character
 *    spacing −5 twips (16 − 0.25 = 15.75 pt; 28 × 15.75 = 441 pt ≤ 442.2 pt). Reason: LibreOffice
 *    puts a glyph wider than a grid cell into two cells, so a 16 pt character in Word's 15.79 pt
 *    cell would take 31.6 pt there (14 characters a line); snapping also spreads 五号 table text and
 *    the 二号 title over 16 pt cells. With explicit metrics Word, WPS and LibreOffice all give
 *    22 × 28, and tables and titles keep their natural spacing. (Checked in LibreOffice's PDF.)
 *  - Landscape attachments (ledger, matrix) use docGrid `default` (no grid).
 * Fonts: every run names its East Asian font (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体) and
 * Times New Roman for Latin (ascii/hAnsi/cs). `docx` writes a font table only for embedded fonts,
 * so word/fontTable.xml is replaced (in `docx.ts`, Packer overrides) by one that declares each
 * Chinese font with its alternate name (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体, 黑体 → SimHei),
 * charset GB2312 and panose, which is what Word uses when the exact font is not installed.
 * Page numbers: 「— 1 —」 宋体 四号 (14 pt), PAGE field, odd pages right and even pages left, each
 * one character in from the edge of the 版心 (evenAndOddHeaders on).
 * All text passes through `xmlSafe` (here in `run()`), so the document is always well-formed.
 */
import {
  AlignmentType,
  DocumentGridType,
  Footer,
  LineRuleType,
  PageNumber,
  PageOrientation,
  Paragraph,
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

// ---------------------------------------------------------------------------------------------
// Format constants (GB/T 9704-2012)

export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
  /** Footer distance from the page's bottom edge: the page number sits ~7 mm below the 版心. */
  footer: 1304,
  header: 851,
};
export const GRID = { linePitch: 579, charSpace: -849 };
/** Width and height of the 版心 (portrait). */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right; // 8844
/** Landscape pages rotate the portrait margins with the sheet (top → left …). */
export const LANDSCAPE_MARGIN = { top: PAGE.margin.left, bottom: PAGE.margin.right, left: PAGE.margin.top, right: PAGE.margin.bottom };
export const LANDSCAPE_TEXT_WIDTH = PAGE.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right; // 12756
export const LANDSCAPE_TEXT_HEIGHT = PAGE.width - LANDSCAPE_MARGIN.top - LANDSCAPE_MARGIN.bottom; // 8844

export const FONTS = {
  fangsong: '仿宋_GB2312',
  kaiti: '楷体_GB2312',
  heiti: '黑体',
  title: '方正小标宋简体',
  song: '宋体',
  latin: 'Times New Roman',
} as const;

/** Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt, 小五 9 pt. */
export const SIZE = { er: 44, san: 32, si: 28, xiaosi: 24, wu: 21, xiaowu: 18 } as const;

/** One character of 三号 body text, in twips (first-line indent = 2 characters = 640). */
export const CHAR = 320;
/** Run character spacing of 三号 text, in twips: −5 = −0.25 pt. */
export const BODY_CHAR_SPACING = -5;
export const BODY_LINE = GRID.linePitch;
/** Paragraph style whose pPr gets <w:snapToGrid w:val="0"/> (see `patchStylesXml`). */
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
  const key = `${latin}|${s.font ?? ''}|${size}|${s.bold ? 1 : 0}${s.italics ? 1 : 0}${s.underline ? 1 : 0}${s.strike ? 1 : 0}`;
  let xml = rPrCache.get(key);
  if (xml === undefined) {
    const l = escText(latin).replace(/"/g, '&quot;');
    xml =
      `<w:rPr><w:rFonts w:ascii="${l}" w:cs="${l}" w:eastAsia="${s.font ?? FONTS.fangsong}" w:hAnsi="${l}"/>` +
      (s.bold ? '<w:b/><w:bCs/>' : '') +
      (s.italics ? '<w:i/><w:iCs/>' : '') +
      (s.strike ? '<w:strike/>' : '') +
      (size === SIZE.san ? `<w:spacing w:val="${BODY_CHAR_SPACING}"/>` : '') +
      `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` +
      (s.underline ? '<w:u w:val="single"/>' : '') +
      '</w:rPr>';
    rPrCache.set(key, xml);
  }
  return xml;
}

/**
 * A run made by `run()` and its kin: a real `TextRun` for TypeScript and `instanceof`, created without
 * `TextRun`'s constructor (which builds the object tree); `xml` is what document.xml gets.
 */
export class XmlRun extends TextRun {
  declare readonly xml: string;
  declare readonly source: { text: string; style: RunStyle; lineBreak: boolean };
  /** One run (docx's TextRun may split into several; this one never does). */
  override get writtenAs(): undefined {
    return undefined;
  }
  /** Only when placed inside a `docx` object: the same run through `docx`. */
  override prepForXml(context: Parameters<TextRun['prepForXml']>[0]): ReturnType<TextRun['prepForXml']> {
    const { text, style, lineBreak } = this.source;
    return new TextRun({ ...runOptions(text, style), break: lineBreak ? 1 : undefined }).prepForXml(context);
  }
}

/** `text` must be xmlSafe already. */
function xmlRun(text: string, style: RunStyle, lineBreak = false): XmlRun {
  const r = Object.create(XmlRun.prototype) as { -readonly [K in keyof XmlRun]: XmlRun[K] } & { rootKey: string };
  r.rootKey = 'w:r'; // what docx reads to tell a component's element
  r.source = { text, style, lineBreak };
  r.xml = `<w:r>${runPrXml(style)}${lineBreak ? '<w:br/>' : ''}<w:t xml:space="preserve">${escText(text)}</w:t></w:r>`;
  return r as unknown as XmlRun;
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
    // 三号 text is set 0.25 pt tighter (15.75 pt a character) so that 28 characters fill the
    // 442.2 pt line in Word and in LibreOffice alike (see the header comment).
    characterSpacing: (s.size ?? SIZE.san) === SIZE.san ? BODY_CHAR_SPACING : undefined,
  };
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
  /** Exact line height in twips (default: the grid's 579). */
  line?: number;
  before?: number;
  after?: number;
}

/**
 * A paragraph or table written as XML: a real `Paragraph` for TypeScript and `instanceof` (created
 * without `Paragraph`'s constructor). `kind` says which element `xml` is; a section's properties go
 * into the pPr of its last paragraph, or into an empty paragraph after a table, as `docx` does.
 */
export class XmlBlock extends Paragraph {
  declare readonly kind: 'p' | 'tbl';
  declare readonly xmlOf: () => string;
  /** The same paragraph as `docx` objects (absent for tables written as XML). */
  declare readonly asDocx?: () => Paragraph;
  override get writtenAs(): undefined {
    return undefined;
  }
  override prepForXml(context: Parameters<Paragraph['prepForXml']>[0]): ReturnType<Paragraph['prepForXml']> {
    if (!this.asDocx) throw new Error('表格和图片只能直接放在报告的节中，不能放进 docx 的表格或段落里。');
    return this.asDocx().prepForXml(context);
  }
}

function xmlBlock(kind: 'p' | 'tbl', xml: string | (() => string), asDocx?: () => Paragraph): XmlBlock {
  const b = Object.create(XmlBlock.prototype) as { -readonly [K in keyof XmlBlock]: XmlBlock[K] } & { rootKey: string; fileChild: symbol };
  // What docx reads of a section's child: its element (a cell must end with a w:p) and FileChild's mark.
  b.rootKey = kind === 'p' ? 'w:p' : 'w:tbl';
  b.fileChild = Symbol();
  b.kind = kind;
  b.xmlOf = typeof xml === 'string' ? () => xml : xml;
  if (asDocx) b.asDocx = asDocx;
  return b as unknown as XmlBlock;
}

function paragraphOptions(o: ParaOpts): IParagraphOptions {
  return {
    style: NO_GRID_STYLE,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: {
      firstLine: o.indent === false || o.hanging ? undefined : 2 * CHAR,
      left: o.left,
      right: o.right,
      hanging: o.hanging,
    },
    spacing: { line: o.line ?? BODY_LINE, lineRule: LineRuleType.EXACT, before: o.before ?? 0, after: o.after ?? 0 },
    keepNext: o.keepNext,
    pageBreakBefore: o.pageBreakBefore,
    widowControl: true,
  };
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
    `<w:pPr><w:pStyle w:val="${NO_GRID_STYLE}"/>` +
    onOff('keepNext', o.keepNext) +
    (o.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
    '<w:widowControl/>' +
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

/** 一、 黑体 三号 */
export function h1(text: string): Paragraph {
  return para([run(text, { font: FONTS.heiti })], { keepNext: true });
}
/** （一） 楷体_GB2312 三号 */
export function h2(text: string): Paragraph {
  return para([run(text, { font: FONTS.kaiti })], { keepNext: true });
}
/** 1. 仿宋_GB2312 三号 加粗 */
export function h3(text: string): Paragraph {
  return para([run(text, { bold: true })], { keepNext: true });
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
        out.push(para([...takeLead(), ...runs], paraOpts()));
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

function cellXml(c: CellText, width: number, o: GridTableOptions, header: boolean): string {
  const rPr = rPrXml(o.size, c.bold, c.font ?? FONTS.fangsong);
  const pPr =
    `<w:pPr><w:pStyle w:val="${NO_GRID_STYLE}"/><w:spacing w:before="0" w:after="0" w:line="${o.line}" w:lineRule="exact"/>` +
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
 * A bordered table as WordprocessingML: header row repeated on every page (w:tblHeader), rows
 * kept whole (w:cantSplit) unless too tall for a page. Written as a string rather than through
 * `docx` objects: a city ledger has ~19,000 cells, which `docx` serialises in seconds, this in
 * milliseconds. Every text goes through `xmlText` (sanitise + escape).
 */
export function gridTableXml(o: GridTableOptions): string {
  const total = o.widths.reduce((a, b) => a + b, 0);
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const row = (cells: CellText[], header: boolean, i: number) =>
    `<w:tr><w:trPr>${header || !o.splittable?.(i) ? '<w:cantSplit/>' : ''}${header ? '<w:tblHeader/>' : ''}</w:trPr>` +
    cells.map((c, ci) => cellXml(c, o.widths[ci]!, o, header)).join('') +
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

/** Pictures of one render: relationship id, part name, image (its PNG is read when the package is written). */
export interface MediaSink {
  images: { rId: string; part: string; img: ChartImage }[];
}
let mediaSink: MediaSink | null = null;

/** Runs `build` with `media` collecting the chart pictures that `chartParagraphs` places. */
export function withMediaSink<T>(media: MediaSink, build: () => T): T {
  mediaSink = media;
  try {
    return build();
  } finally {
    mediaSink = null;
  }
}

/** Escapes an attribute value as `docx` does. */
function escAttr(v: string): string {
  return escText(xmlSafe(v));
}

/**
 * A chart picture, centred, 560 px wide at most (the 版心 is 589.6 px), and its caption 「图n  …」.
 * Only inside `packDocument` (docx.ts) (the picture is added to the package it writes). The picture's
 * XML is written when the package is, so a chart still being rasterised may be passed in.
 */
export function chartParagraphs(img: ChartImage, n: number): Paragraph[] {
  const sink = mediaSink;
  if (!sink) throw new Error('chartParagraphs outside packDocument');
  const k = sink.images.length + 1;
  const rId = `rIdPdChart${k}`;
  sink.images.push({ rId, part: `media/pd-chart${k}.png`, img });
  const xml = () => {
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

export function portraitSection(children: (Paragraph | Table)[]): ISectionOptions {
  return {
    properties: {
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

