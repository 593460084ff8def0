/**
 * The measures of GB/T 9704-2012《党政机关公文格式》 that the Word documents are set in, in one place:
 * page, margins, grid, fonts, sizes, and the measures of the 公文 elements (版头, 版记, 落款). Every other
 * report module takes them from here (`docxBlocks.ts` re-exports them for the body sections).
 *
 * Page and grid (all in twips, 1 mm = 56.7 twips):
 *  - A4 11906 × 16838; margins top 37 mm = 2098, bottom 35 mm = 1984, left 28 mm = 1588,
 *    right 26 mm = 1474 → 版心 156 mm × 225 mm = 8844 × 12756.
 *  - 22 lines: 12756 / 22 = 579.8 → linePitch 579 (28.95 pt).
 *  - 28 characters: 8844 / 28 = 315.86 twips = 15.793 pt per character. Word's charSpace is the
 *    difference from the Normal style's font size (三号 16 pt) in 1/4096 pt:
 *    (15.793 − 16) × 4096 = −848.5 → charSpace −849 (the value of Word's own 公文 templates).
 *  - Generated paragraphs do not snap to that grid (style NoGrid) but carry the same measure
 *    explicitly: exact line spacing 579 and, on 三号 runs, character spacing −5 twips
 *    (16 − 0.25 = 15.75 pt a character; 28 × 15.75 = 441 pt ≤ 442.2 pt). See `docxBlocks.ts`.
 */

export const PAGE = {
  width: 11906,
  height: 16838,
  margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
  /** Footer distance from the page's bottom edge: the page number sits ~7 mm below the 版心. */
  footer: 1304,
  header: 851,
};
export const GRID = { linePitch: 579, charSpace: -849 };
/** Width of the 版心 (portrait). */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right; // 8844
/** Height of the 版心 (portrait). */
export const TEXT_HEIGHT = PAGE.height - PAGE.margin.top - PAGE.margin.bottom; // 12756
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

/** One character of 三号 body text, in twips, as indents count it (first-line indent = 2 characters = 640). */
export const CHAR = 320;
/** Run character spacing of 三号 text, in twips: −5 = −0.25 pt. */
export const BODY_CHAR_SPACING = -5;
/**
 * The width a 三号 Chinese character takes on the line, in twips: 16 pt less the −0.25 pt of
 * character spacing = 15.75 pt = 315 (the grid's 315.86 rounded down). GB/T 9704 counts the 落款's
 * 右空二字 / 右移二字 in these characters.
 */
export const CHAR_PITCH = SIZE.san * 10 + BODY_CHAR_SPACING; // 315
/** Latin letters and digits of 三号 Times New Roman: half a character (8 pt) less the same −0.25 pt. */
export const HALF_PITCH = (SIZE.san * 10) / 2 + BODY_CHAR_SPACING; // 155
/** The space Word and LibreOffice put between Chinese text and Latin letters or digits (¼ of 16 pt). */
export const AUTOSPACE = (SIZE.san * 10) / 4; // 80
export const BODY_LINE = GRID.linePitch;

/** The red of the 发文机关标志 and the 版头's separator line. */
export const RED = 'FF0000';
/**
 * Borders in eighths of a point: the 版头's red separator line, and the 版记's lines (7.4.1: first
 * and last 0.35 mm ≈ 1 pt, those between 0.25 mm ≈ 0.75 pt).
 */
export const RULE = { red: 12, thick: 8, thin: 6 } as const;
/**
 * Size of the 发文机关标志 in half-points: 7.2.3 leaves it to the issuer (醒目、美观、庄重, no wider
 * than the 版心); 36 pt, less when the mark would not fit on one line.
 */
export function orgMarkSize(chars: number): number {
  return Math.min(72, Math.floor(TEXT_WIDTH / 10 / Math.max(1, chars)));
}
