/**
 * Word reports in the format of GB/T 9704-2012《党政机关公文格式》, built with the `docx` package
 * from a report model (`shared/report/model.ts`). This file only lays out what the model holds, from
 * the blocks in `docxBlocks.ts` (page, grid, fonts and the reasons for them are described there),
 * and writes the package (font table, styles, document.xml).
 */
import {
  AlignmentType,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TextRun,
  type ISectionOptions,
} from 'docx';
import { STATUS_LABELS, type Status } from '../../shared/domain';
import type { RichDoc } from '../../shared/richtext';
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
import { toCnNumeral } from '../../shared/cnNumeral';
import { renderChartPngsAsync, type ChartImage } from './charts';
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { progressParagraphs } from './progress';
import { changesSection } from './changes';
import {
  BODY_LINE,
  C,
  CELL_MARGIN,
  CHAR,
  type CellText,
  FONTS,
  LANDSCAPE_TEXT_HEIGHT,
  LANDSCAPE_TEXT_WIDTH,
  type MediaSink,
  NO_GRID_STYLE,
  SIZE,
  TEXT_WIDTH,
  XmlBlock,
  body,
  charUnits,
  chartParagraphs,
  emptyLine,
  estimateLines,
  gridTable,
  h1,
  h2,
  h3,
  landscapeSection,
  para,
  portraitSection,
  richParagraphs,
  run,
  runsWithBreaks,
  tableCaption,
  titlePara,
  twoByTwo,
  withMediaSink,
} from './docxBlocks';

// ---------------------------------------------------------------------------------------------
// Parts of the report

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
    out.push(h2(`（${toCnNumeral(si + 1)}）${tableLabel(sec.number)} ${sec.title}`));
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
    out.push(h2(`（${toCnNumeral(ti + 1)}）${tableLabel(t.number)} ${t.title}`));
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
          tail.push(h1(`案例${toCnNumeral(c.index)}：${cs.name}`));
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
          tail.push(h1(`案例${toCnNumeral(c.index)}：${taskLead(c)}`));
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
          tail.push(h2(`（${toCnNumeral(++part)}）佐证材料`));
          c.evidence.forEach((e, i) =>
            tail.push(body(`${i + 1}. ${e.title}${e.docNumber ? `（${e.docNumber}）` : ''}${e.dateText ? `，${e.dateText}` : ''}，${e.kindLabel}。`)),
          );
        }
        if (c.logs.length) {
          tail.push(h2(`（${toCnNumeral(part + 1)}）进展记录`));
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
