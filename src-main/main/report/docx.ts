/**
 * Word reports in the format of GB/T 9704-2012《党政机关公文格式》, built with the `docx` package
 * from a report model (`shared/report/model.ts`). This file only lays out what the model holds.
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
 * so word/fontTable.xml is replaced (Packer overrides) by one that declares each Chinese font with
 * its alternate name (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体, 黑体 → SimHei),
 * charset GB2312 and panose, which is what Word uses when the exact font is not installed.
 * Page numbers: 「— 1 —」 宋体 四号 (14 pt), PAGE field, odd pages right and even pages left, each
 * one character in from the edge of the 版心 (evenAndOddHeaders on).
 * All text passes through `xmlSafe` (here in `run()`), so the document is always well-formed.
 */
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
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
import { STATUS_LABELS, type Status } from '../../shared/domain';
import type { RichDoc, RichMark, RichNode } from '../../shared/richtext';
import { reportCharts } from '../../shared/report/charts';
import {
  LEDGER_COLUMNS,
  REPORT_STATUS_ORDER,
  pct,
  tableLabel,
  type Figures,
  type FiguresRow,
  type LaggingItem,
  type LedgerRow,
  type ReportModel,
  type TextItem,
  type TaskRef,
  type UnitRef,
} from '../../shared/report/model';
import { xmlSafe } from '../../shared/report/sanitize';
import { renderChartPngsAsync, type ChartImage } from './charts';
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { progressParagraphs } from './progress';
import { changesSection } from './changes';

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
const CHAR = 320;
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
// serialiser took seconds and hundreds of MB for (BENCHMARKS.md). `renderReportDocx` writes the
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

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 12 → 十二, 21 → 二十一 (up to 99). */
export function cnNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  if (n < 100) return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    const tail = rest === 0 ? '' : rest < 10 ? `零${CN_DIGITS[rest]}` : rest < 20 ? `一${cnNumber(rest)}` : cnNumber(rest);
    return `${CN_DIGITS[Math.floor(n / 100)]}百${tail}`;
  }
  return String(n);
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

const CELL_MARGIN = { top: 40, bottom: 40, left: 57, right: 57 };

interface CellText {
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

const C = 'center' as const;

/** A four-character label broken 2 + 2 (基本/完成, 任务/编号) rather than wherever a narrow column ends; others as they are. */
function twoByTwo(label: string): string {
  return label.length === 4 ? `${label.slice(0, 2)}\n${label.slice(2)}` : label;
}

function figuresHeader(first: string): CellText[] {
  return [
    { text: first, align: C, bold: true },
    { text: '任务数', align: C, bold: true },
    // Four-character labels break 2 + 2 (基本/完成) rather than 3 + 1 in the narrow columns.
    ...REPORT_STATUS_ORDER.map((s) => ({ text: twoByTwo(STATUS_LABELS[s]), align: C, bold: true })),
    { text: '实施率', align: C, bold: true },
  ];
}

function figuresCells(label: string, f: Figures): CellText[] {
  return [
    { text: label },
    { text: String(f.total), align: C },
    ...REPORT_STATUS_ORDER.map((s) => ({ text: String(f.byStatus[s]), align: C })),
    { text: pct(f.implementedShare), align: C },
  ];
}

/** Status counts by table (or unit) with a 合计 row, 仿宋 五号. */
function figuresTable(first: string, rows: FiguresRow[], totals: Figures, label: (r: FiguresRow) => string): Paragraph {
  const firstW = 2364;
  const rest = Math.floor((TEXT_WIDTH - firstW) / 8);
  return gridTable({
    widths: [firstW + (TEXT_WIDTH - firstW - rest * 8), ...Array(8).fill(rest)],
    header: figuresHeader(first),
    rows: [...rows.map((r) => figuresCells(label(r), r)), figuresCells('合计', totals).map((c, i) => (i === 0 ? { ...c, align: C, bold: true } : c))],
    size: SIZE.wu,
    line: 300,
    centreRows: true,
  });
}

export function caption(text: string): Paragraph {
  return para([run(text, { size: SIZE.wu, font: FONTS.heiti })], { align: AlignmentType.CENTER, indent: false, line: 360, after: 120 });
}

export function tableCaption(text: string): Paragraph {
  return para([run(text, { size: SIZE.wu, font: FONTS.heiti })], { align: AlignmentType.CENTER, indent: false, line: 360, before: 120, keepNext: true });
}

/** Pictures of one render: relationship id, part name, image (its PNG is read when the package is written). */
interface MediaSink {
  images: { rId: string; part: string; img: ChartImage }[];
}
let mediaSink: MediaSink | null = null;

/** Escapes an attribute value as `docx` does. */
function escAttr(v: string): string {
  return escText(xmlSafe(v));
}

/**
 * A chart picture, centred, 560 px wide at most (the 版心 is 589.6 px), and its caption 「图n  …」.
 * Only during `renderReportDocx` (the picture is added to the package it writes). The picture's
 * XML is written when the package is, so a chart still being rasterised may be passed in.
 */
export function chartParagraphs(img: ChartImage, n: number): Paragraph[] {
  const sink = mediaSink;
  if (!sink) throw new Error('chartParagraphs outside renderReportDocx');
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

function landscapeSection(children: (Paragraph | Table)[]): ISectionOptions {
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
// Parts of the report

export function taskLead(t: TaskRef): string {
  return `${t.taskId} ${t.shortTitle}`;
}

function unitSuffix(m: ReportModel, u: UnitRef): string {
  return m.meta.units.length > 1 ? `（${u.name}）` : '';
}

function overviewSection(m: ReportModel, charts: ChartImage[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('一、总体推进情况')];
  const city = m.meta.kind === 'city';
  if (city) out.push(h2('（一）总体情况'));
  const [first, second, third, fourth, ...rest] = m.summary;
  for (const s of [first, second, third]) if (s) out.push(body(s));
  const restSentences = city ? rest : [fourth, ...rest].filter((s): s is string => !!s);
  for (const s of restSentences) if (s) out.push(body(s));
  out.push(tableCaption(`表1  各表任务推进情况（截至${m.meta.asOfText}）`));
  out.push(figuresTable('任务表', m.byTable, m.overall, (r) => `${r.key}\n${r.label.slice(r.key.length + 1)}`));
  const byTable = charts.find((c) => c.id === 'status-by-table');
  if (byTable) out.push(...chartParagraphs(byTable, 1));
  if (city) {
    out.push(h2('（二）分单位情况'));
    if (fourth) out.push(body(fourth));
    out.push(tableCaption(`表2  各单位任务推进情况（截至${m.meta.asOfText}）`));
    out.push(figuresTable('单位', m.byUnit, m.overall, (r) => r.label));
    const byUnit = charts.find((c) => c.id === 'status-by-unit');
    if (byUnit) out.push(...chartParagraphs(byUnit, 2));
    if (m.matrix) out.push(body('各项任务在各单位的完成状态见附件2。'));
  }
  out.push(...progressParagraphs(m, charts));
  return out;
}

/**
 * The first paragraph of a note (its lead, usually the 总体进展 sentence). The city report prints
 * only that for each unit — 13 units × 104 full notes would fill a thousand pages — and says that
 * the full text is in 附件1 (the ledger), which prints every note whole.
 */
function firstParagraph(doc: RichDoc): RichDoc {
  const first = doc.content.find((n) => (n.type === 'paragraph' || n.type === 'heading') && (n.content ?? []).length > 0);
  return { type: 'doc', content: first ? [first] : [] };
}

function practicesSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('二、主要做法和成效')];
  const city = m.meta.kind === 'city';
  if (city) out.push(body('以下按任务列示各单位推进情况的要点和量化成效，各单位推进情况全文见附件1。'));
  const withItems = m.practices.filter((p) => p.groups.length > 0);
  if (withItems.length === 0) {
    out.push(body('所选范围内暂无推进情况和量化成效的记载。'));
    return out;
  }
  withItems.forEach((sec, si) => {
    out.push(h2(`（${cnNumber(si + 1)}）${tableLabel(sec.number)} ${sec.title}`));
    out.push(
      body(
        `本表纳入统计的任务批注${sec.figures.total}项，已实施${sec.figures.implemented}项，实施率${pct(sec.figures.implementedShare)}。` +
          (sec.withoutNotes ? `其中${sec.withoutNotes}项暂无推进情况记载。` : ''),
      ),
    );
    sec.groups.forEach((g, gi) => {
      out.push(h3(`${gi + 1}. ${g.group}`));
      for (const item of g.items) {
        if (item.entries.length === 1) {
          const e = item.entries[0]!;
          const lead = [run(`${taskLead(item)}${unitSuffix(m, e.unit)}（${e.statusLabel}）。`, { bold: true })];
          out.push(...richParagraphs(e.notes, lead));
          if (e.results) out.push(para([run('量化成效：', { bold: true }), ...runsWithBreaks(e.results, {})]));
        } else {
          out.push(para([run(`${taskLead(item)}。`, { bold: true })], { keepNext: true }));
          for (const e of item.entries) {
            const lead = [run(`${e.unit.name}（${e.statusLabel}）：`, { font: FONTS.kaiti })];
            out.push(...richParagraphs(city ? firstParagraph(e.notes) : e.notes, lead));
            if (e.results) out.push(para([run('量化成效：', { font: FONTS.kaiti }), ...runsWithBreaks(e.results, {})]));
          }
        }
      }
    });
  });
  return out;
}

function casesSection(m: ReportModel, caseAttachment: number | null): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('三、制度创新成果和最佳实践案例')];
  if (m.cases.length === 0) {
    out.push(body('所选范围内暂未标记制度创新成果和最佳实践案例。'));
    return out;
  }
  out.push(
    body(
      `共形成制度创新成果${m.innovationCount}项、最佳实践案例${m.bestPracticeCount}项` +
        (caseAttachment ? `（案例材料详见附件${caseAttachment}）` : '') +
        '。',
    ),
  );
  for (const c of m.cases) {
    const kinds = [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
    const cs = c.caseStudy;
    if (cs) {
      // A written-up case: its name, then its results (else its approach).
      out.push(h3(`${c.index}. ${cs.name}（${taskLead(c)}${m.meta.units.length > 1 ? `，${c.unit.name}` : ''}，${kinds}）`));
      if (cs.results || cs.approach) out.push(body(cs.results ? `成效：${cs.results.replace(/\s*\n\s*/g, '')}` : `做法：${cs.approach.replace(/\s*\n\s*/g, '')}`));
      continue;
    }
    out.push(h3(`${c.index}. ${taskLead(c)}${m.meta.units.length > 1 ? `（${c.unit.name}，${kinds}）` : `（${kinds}）`}`));
    if (c.results) out.push(body(`成效：${c.results}`));
    else {
      const firstPara = c.notes.content.find((n) => n.type === 'paragraph' && (n.content ?? []).length > 0);
      if (firstPara) out.push(...richParagraphs({ type: 'doc', content: [firstPara] }, []));
    }
  }
  return out;
}

/** Items grouped by task, in the model's order (one group per task; several units each). */
function byTask<T extends TaskRef>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const g = groups.get(it.taskId);
    if (g) g.push(it);
    else groups.set(it.taskId, [it]);
  }
  return [...groups.values()];
}

function laggingText(l: LaggingItem): string {
  const parts: string[] = [l.delayed ? '进度滞后' : `状态为${l.statusLabel}`];
  if (l.deadlineText) parts.push(`完成时限${l.deadlineText}`);
  if (l.daysOverdue !== null) parts.push(`已超期${l.daysOverdue}天`);
  return parts.join('，');
}

/** Numbered paragraphs of texts, one per task: 「1. T1-01 标题：玄武区：…；秦淮区：…」. */
function textItemsByTask(m: ReportModel, items: TextItem[]): Paragraph[] {
  const multi = m.meta.units.length > 1;
  return byTask(items).map((g, i) => {
    const runs: TextRun[] = [run(`${i + 1}. ${taskLead(g[0]!)}：`, { bold: true })];
    g.forEach((it, k) => {
      const sep = k && !/[。；！？]$/.test(g[k - 1]!.text) ? '；' : '';
      if (multi) runs.push(run(`${sep}${it.unit.name}：`, { font: FONTS.kaiti }));
      runs.push(...runsWithBreaks(it.text, {}));
    });
    return para(runs);
  });
}

function problemsSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('四、存在问题')];
  out.push(h2('（一）进度滞后和逾期任务'));
  if (m.lagging.length === 0) out.push(body(`截至${m.meta.asOfText}，所选范围内无进度滞后或超过完成时限的任务。`));
  else {
    out.push(body(`截至${m.meta.asOfText}，进度滞后任务${m.delayedCount}项，已超过完成时限未完成任务${m.overdueCount}项，具体如下：`));
    byTask(m.lagging).forEach((g, i) => {
      const text =
        m.meta.units.length > 1 ? g.map((l) => `${l.unit.name}（${laggingText(l)}）`).join('；') : laggingText(g[0]!);
      out.push(body(`${i + 1}. ${taskLead(g[0]!)}：${text}。`));
    });
  }
  out.push(h2('（二）存在的主要困难和问题'));
  if (m.problems.length === 0) out.push(body('所选范围内暂未填报存在问题。'));
  out.push(...textItemsByTask(m, m.problems));
  return out;
}

function nextStepsSection(m: ReportModel): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [h1('五、下一步工作打算')];
  if (m.nextSteps.length === 0) {
    out.push(body('所选范围内暂未填报下步计划。'));
    return out;
  }
  const tables = m.meta.tables.filter((t) => m.nextSteps.some((n) => n.table === t.number));
  tables.forEach((t, ti) => {
    out.push(h2(`（${cnNumber(ti + 1)}）${tableLabel(t.number)} ${t.title}`));
    out.push(...textItemsByTask(m, m.nextSteps.filter((n) => n.table === t.number)));
  });
  return out;
}

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

/** 「附件1」 黑体三号 顶格 on the first line, the title centred on the third. */
function attachmentHead(n: number | null, title: string): Paragraph[] {
  return [
    para([run(n === null ? '' : `附件${n}`, { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT }),
    emptyLine(),
    titlePara(title),
    emptyLine(),
  ];
}

export function provenance(m: ReportModel, landscape = false): Paragraph {
  return para([run(m.meta.provenance, { size: SIZE.wu })], {
    indent: false,
    line: 320,
    before: landscape ? 200 : 400,
  });
}

// Ledger -----------------------------------------------------------------------------------------

/** Relative widths of the 14 ledger columns, scaled to the landscape 版心 (12756 twips). */
const LEDGER_WEIGHTS: Record<(typeof LEDGER_COLUMNS)[number]['key'], number> = {
  // After scaling (× 0.89) and less 114 twips of cell margins, in 五号 characters of 210 twips:
  index: 640, // 2.2: 序号
  // 3.1: T1-01 on one line even where Times New Roman falls back to DejaVu Serif (LibreOffice
  // without metric-compatible fonts, as on a plain Debian: T1-01 is ~600 twips there, ~510 in TNR).
  taskId: 860,
  category: 700,
  taskText: 1900, // 7.6
  leadUnits: 700,
  partnerUnits: 700,
  unitName: 660,
  deadline: 900, // 3.2: 2025年 / 6月30日
  progress: 2820, // 11.4: the longest text of a row gets the widest column
  results: 1250,
  problems: 900,
  nextSteps: 950,
  status: 700, // 2.4: 序时/推进
  remarks: 640,
};

export function ledgerWidths(total = LANDSCAPE_TEXT_WIDTH): number[] {
  const w = LEDGER_COLUMNS.map((c) => LEDGER_WEIGHTS[c.key]);
  const sum = w.reduce((a, b) => a + b, 0);
  const scaled = w.map((x) => Math.floor((x * total) / sum));
  scaled[scaled.length - 1]! += total - scaled.reduce((a, b) => a + b, 0);
  return scaled;
}

const LEDGER_SIZE = SIZE.wu;
const LEDGER_LINE = 290; // 14.5 pt for 10.5 pt text

/**
 * A four-character header (任务编号, 存在问题, 下步计划, 完成状态) in a column too narrow for it on
 * one line, broken two and two — as the figure tables do — instead of wherever the width runs out
 * (任务编 / 号).
 */
function headerLabel(label: string, width: number): string {
  const fits = Math.floor((width - CELL_MARGIN.left - CELL_MARGIN.right) / (LEDGER_SIZE * 10));
  return !label.includes('/') && fits < 4 ? twoByTwo(label) : label;
}

function ledgerTable(rows: LedgerRow[]): Paragraph {
  const widths = ledgerWidths();
  const centred = new Set(['index', 'taskId', 'deadline', 'status', 'unitName']);
  // Rows are kept whole (cantSplit) unless taller than a page (less the repeated header row),
  // which cannot be kept whole at all. The first row may also split when it does not fit under
  // the attachment's headings: kept whole it would leave the headings alone on their page.
  const headerTwips = 1240;
  const headingsTwips = 1800;
  const maxLines = Math.floor((LANDSCAPE_TEXT_HEIGHT - headerTwips) / LEDGER_LINE);
  const firstMaxLines = Math.floor((LANDSCAPE_TEXT_HEIGHT - headerTwips - headingsTwips) / LEDGER_LINE);
  const tall = rows.map(
    (r, i) => Math.max(...LEDGER_COLUMNS.map((c, ci) => estimateLines(r[c.key], widths[ci]!, LEDGER_SIZE))) > (i === 0 ? firstMaxLines : maxLines),
  );
  return gridTable({
    widths,
    header: LEDGER_COLUMNS.map((c, ci) => ({ text: headerLabel(c.label, widths[ci]!), align: C, bold: true, font: FONTS.heiti })),
    rows: rows.map((r) => LEDGER_COLUMNS.map((c) => ({ text: r[c.key], align: centred.has(c.key) ? C : ('left' as const) }))),
    size: LEDGER_SIZE,
    line: LEDGER_LINE,
    splittable: (i) => tall[i] ?? false,
  });
}

/** Two-character forms of the statuses for the task × unit matrix (a legend is printed above it). */
export const MATRIX_ABBR: Record<Status, string> = {
  done: '完成',
  mostly_done: '基本',
  on_track: '序时',
  delayed: '滞后',
  not_started: '未启',
  not_applicable: '不涉',
};

export function matrixLegend(): string {
  return REPORT_STATUS_ORDER.map((s) => `${MATRIX_ABBR[s]}=${STATUS_LABELS[s]}`).join('，');
}

function matrixTable(m: ReportModel): Paragraph {
  const mx = m.matrix!;
  const first = 3000;
  const per = Math.floor((LANDSCAPE_TEXT_WIDTH - first) / Math.max(1, mx.units.length));
  const widths = [LANDSCAPE_TEXT_WIDTH - per * mx.units.length, ...mx.units.map(() => per)];
  const cell = (s: Status | null): CellText => ({ text: s ? MATRIX_ABBR[s] : '—', align: C, bold: s === 'delayed' });
  return gridTable({
    widths,
    header: [{ text: '任务', align: C, bold: true, font: FONTS.heiti }, ...mx.units.map((u) => ({ text: u.name, align: C, bold: true, font: FONTS.heiti }))],
    rows: mx.rows.map((r) => [{ text: `${r.task.taskId} ${r.task.shortTitle}` }, ...r.cells.map(cell)]),
    size: SIZE.xiaowu,
    line: 250,
    centreRows: true,
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
    () => buildSections(m, charts),
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
  let skeleton: ISectionOptions[];
  mediaSink = media;
  try {
    skeleton = build().map((s) => ({ ...s, children: skeletonChildren(s.children, groups) }));
  } finally {
    mediaSink = null;
  }
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

function buildSections(m: ReportModel, charts: ChartImage[]): ISectionOptions[] {
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
    const attachments: string[] = ['任务清单推进情况表'];
    if (m.matrix) attachments.push('试点任务分单位完成状态表');
    const caseNo = m.cases.length ? attachments.push('制度创新成果和最佳实践案例材料') : null;
    const main: (Paragraph | Table)[] = [
      titlePara(m.meta.title),
      emptyLine(),
      body(
        `按照《${m.meta.planTitle}》任务分工和工作要求，现将${m.meta.scopeName}服务业扩大开放综合试点任务推进情况报告如下（数据截至${m.meta.asOfText}）。`,
      ),
      ...overviewSection(m, charts),
      ...changesSection(m),
      ...practicesSection(m),
      ...casesSection(m, caseNo),
      ...problemsSection(m),
      ...nextStepsSection(m),
      ...attachmentNote(attachments),
      ...signature(m),
    ];
    sections.push(portraitSection(main));
    const ledgerChildren: (Paragraph | Table)[] = [
        // Headings keep with the table: LibreOffice does not split the first row under a repeated
        // header, and would otherwise leave the headings alone on a page.
        para([run('附件1', { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT, keepNext: true }),
        titlePara(`${m.meta.scopeName}服务业扩大开放综合试点任务清单推进情况表`, { line: 640, keepNext: true }, LANDSCAPE_TEXT_WIDTH),
        para([run(`数据截至${m.meta.asOfText}`, { size: SIZE.xiaosi })], { indent: false, align: AlignmentType.CENTER, line: 400, after: 120, keepNext: true }),
        ledgerTable(m.ledger),
    ];
    const matrixChildren: (Paragraph | Table)[] | null = m.matrix
      ? [
          para([run('附件2', { font: FONTS.heiti })], { indent: false, align: AlignmentType.LEFT, keepNext: true }),
          titlePara('试点任务分单位完成状态表', { line: 640, keepNext: true }, LANDSCAPE_TEXT_WIDTH),
          para([run(`数据截至${m.meta.asOfText}。${matrixLegend()}；“—”表示未填报或不在统计范围内。`, { size: SIZE.xiaosi })], {
            indent: false,
            align: AlignmentType.CENTER,
            line: 400,
            after: 120,
            keepNext: true,
          }),
          matrixTable(m),
        ]
      : null;
    const tail: (Paragraph | Table)[] = [];
    if (caseNo) {
      tail.push(...attachmentHead(caseNo, '制度创新成果和最佳实践案例材料'));
      for (const c of m.cases) {
        const kinds = [c.innovation ? '制度创新成果' : '', c.bestPractice ? '最佳实践案例' : ''].filter(Boolean).join('、');
        const cs = c.caseStudy;
        // With a write-up: its name and parts; else the task's notes and results.
        let part = 3; // the last numbered part so far: （三）
        if (cs) {
          tail.push(h1(`案例${cnNumber(c.index)}：${cs.name}`));
          tail.push(body(`报送单位：${c.unit.name}；对应任务：${taskLead(c)}；类别：${kinds}${cs.field ? `；所属领域：${cs.field}` : ''}；完成状态：${c.statusLabel}。`));
          // One paragraph a line: a justified line ending in a break would be spread out.
          const lines = (text: string) => {
            const ls = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
            return (ls.length ? ls : ['暂无记载。']).map((l) => body(l));
          };
          tail.push(h2('（一）主要做法'), ...lines(cs.approach));
          tail.push(h2('（二）取得成效'), ...lines(cs.results));
          tail.push(h2('（三）复制推广价值'), ...lines(cs.replicability));
        } else {
          tail.push(h1(`案例${cnNumber(c.index)}：${taskLead(c)}`));
          tail.push(body(`报送单位：${c.unit.name}；类别：${kinds}；完成状态：${c.statusLabel}。`));
          tail.push(h2('（一）任务内容'));
          tail.push(body(c.taskText));
          tail.push(h2('（二）主要做法'));
          const notes = richParagraphs(c.notes, []);
          tail.push(...(notes.length ? notes : [body('暂无记载。')]));
          tail.push(h2('（三）取得成效'));
          tail.push(body(c.results || '暂无记载。'));
        }
        if (c.evidence.length) {
          tail.push(h2(`（${cnNumber(++part)}）佐证材料`));
          c.evidence.forEach((e, i) =>
            tail.push(body(`${i + 1}. ${e.title}${e.docNumber ? `（${e.docNumber}）` : ''}${e.dateText ? `，${e.dateText}` : ''}，${e.kindLabel}。`)),
          );
        }
        if (c.logs.length) {
          tail.push(h2(`（${cnNumber(part + 1)}）进展记录`));
          for (const l of c.logs) tail.push(...richParagraphs(l.body, [run(`${l.dateText}：`, { font: FONTS.kaiti })]));
        }
      }
    }
    tail.push(provenance(m));
    // The 说明 line closes the document: in the case write-ups, or else under the last table.
    if (!caseNo) (matrixChildren ?? ledgerChildren).push(...tail);
    sections.push(landscapeSection(ledgerChildren));
    if (matrixChildren) sections.push(landscapeSection(matrixChildren));
    if (caseNo) sections.push(portraitSection(tail));
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
