/**
 * The Word reports, opened as a person's Word would: unzip, parse every XML part strictly, and
 * check the GB/T 9704 format (page, margins, grid, fonts, page numbers), the landscape ledger and
 * every figure of 一、总体推进情况 against counts made here from the fixture.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUSES, STATUS_LABELS, type Annotation, type Status } from '../../src-main/shared/domain';
import { buildReportModel, type ReportInput, type ReportKind, type ReportModel } from '../../src-main/shared/report/model';
import { renderReportDocx, signatureIndents } from '../../src-main/main/report/docx';
import { titleLines } from '../../src-main/main/report/docxBlocks';
import { cjkFontCandidates, findCjkFont, renderChartPng } from '../../src-main/main/report/charts';
import { statusByTableChart } from '../../src-main/shared/report/charts';
import {
  AS_OF,
  NOTE_MARK,
  RESULT_MARK,
  SIGN_DATE,
  UNITS,
  W,
  ann,
  bodyBlocks,
  children,
  corpus,
  doc,
  firstChild,
  p,
  parseXml,
  smallAnnotations,
  smallEvidence,
  smallLogs,
  tableCells,
  textOf,
  unzipText,
  wAttr,
  xmlError,
} from './report-fixtures';

const c = corpus();
const taskIds = new Set(c.tasks.map((t) => t.id));
const tableOf = new Map(c.tasks.map((t) => [t.id, t.table]));
const AS_OF_END = Date.parse(`${AS_OF}T16:00:00.000Z`);

function input(kind: ReportKind, over: Partial<ReportInput> = {}): ReportInput {
  return {
    kind,
    corpus: c,
    units: UNITS,
    annotations: smallAnnotations(),
    logEntries: smallLogs(),
    evidence: smallEvidence(),
    scope: { unitCodes: kind === 'city' ? [] : ['320102'], tables: [], statuses: [] },
    asOf: AS_OF,
    title: kind === 'city' ? '南京市服务业扩大开放综合试点推进情况暨三年评估报告' : kind === 'ledger' ? '玄武区试点任务清单推进情况表' : '玄武区服务业扩大开放综合试点推进情况报告',
    issuer: kind === 'city' ? '南京市商务局' : '玄武区人民政府',
    signDate: SIGN_DATE,
    appVersion: '0.1.0',
    ...over,
  };
}

function model(i: ReportInput): ReportModel {
  const r = buildReportModel(i);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

interface Opened {
  parts: Record<string, string>;
  doc: Document;
  blocks: Element[];
}

async function open(i: ReportInput, charts = false): Promise<Opened> {
  const bytes = await renderReportDocx(model(i), { charts });
  const parts = unzipText(bytes);
  for (const [name, xml] of Object.entries(parts)) {
    if (name.endsWith('.xml') || name.endsWith('.rels')) expect(xmlError(xml), name).toBeNull();
  }
  const d = parseXml(parts['word/document.xml']!);
  return { parts, doc: d, blocks: bodyBlocks(d) };
}

const el = (d: Document, local: string) => Array.from(d.getElementsByTagNameNS(W, local));
const num = (e: Element | null, a: string) => Number(wAttr(e, a));

/** The paragraph whose text is `text` (exactly). */
function para(o: Opened, text: string): Element {
  const found = o.blocks.find((b) => b.localName === 'p' && textOf(b) === text);
  if (!found) throw new Error(`no paragraph 「${text}」`);
  return found;
}

function runFonts(pEl: Element): { eastAsia: string | null; ascii: string | null; hAnsi: string | null; sz: number }[] {
  return Array.from(pEl.getElementsByTagNameNS(W, 'r')).map((r) => {
    const rPr = firstChild(r, 'rPr');
    const f = firstChild(rPr, 'rFonts');
    return { eastAsia: wAttr(f, 'eastAsia'), ascii: wAttr(f, 'ascii'), hAnsi: wAttr(f, 'hAnsi'), sz: num(firstChild(rPr, 'sz'), 'val') };
  });
}

/** Footer XML of a section's footer reference of `type`. */
function footerOf(o: Opened, sectPr: Element, type: 'default' | 'even'): Document {
  const ref = children(sectPr, 'footerReference').find((f) => wAttr(f, 'type') === type)!;
  const id = ref.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id');
  const rels = parseXml(o.parts['word/_rels/document.xml.rels']!);
  const rel = Array.from(rels.getElementsByTagName('Relationship')).find((r) => r.getAttribute('Id') === id)!;
  return parseXml(o.parts[`word/${rel.getAttribute('Target')}`]!);
}

function expectedDistrict(): Annotation[] {
  return smallAnnotations().filter((a) => a.unitCode === '320102' && taskIds.has(a.taskId) && Date.parse(a.updatedAt) < AS_OF_END);
}

function tally(list: Annotation[]): Record<Status, number> {
  const t = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const a of list) t[a.status] += 1;
  return t;
}

const share = (n: number, d: number) => `${(Math.round((n / d) * 1000) / 10).toFixed(1)}%`;

let district: Opened;
let city: Opened;
let ledger: Opened;

beforeAll(async () => {
  district = await open(input('district'));
  city = await open(input('city'));
  ledger = await open(input('ledger'));
}, 60_000);

describe('page, margins and grid (GB/T 9704-2012)', () => {
  it('A4 portrait with margins 37/35/28/26 mm in twips and a 22 × 28 linesAndChars grid', () => {
    const sect = el(district.doc, 'sectPr')[0]!;
    const pgSz = firstChild(sect, 'pgSz');
    expect([num(pgSz, 'w'), num(pgSz, 'h')]).toEqual([11906, 16838]);
    const m = firstChild(sect, 'pgMar');
    expect({ top: num(m, 'top'), bottom: num(m, 'bottom'), left: num(m, 'left'), right: num(m, 'right') }).toEqual({ top: 2098, bottom: 1984, left: 1588, right: 1474 });
    const grid = firstChild(sect, 'docGrid');
    expect(wAttr(grid, 'type')).toBe('linesAndChars');
    expect(num(grid, 'linePitch')).toBe(579);
    expect(num(grid, 'charSpace')).toBe(-849);
  });

  it('body paragraphs: exact 579 line spacing, two-character first-line indent, 28 characters a line', () => {
    const first = district.blocks.find((b) => textOf(b).startsWith('按照《'))!;
    const pPr = firstChild(first, 'pPr');
    expect(num(firstChild(pPr, 'spacing'), 'line')).toBe(579);
    expect(wAttr(firstChild(pPr, 'spacing'), 'lineRule')).toBe('exact');
    expect(num(firstChild(pPr, 'ind'), 'firstLine')).toBe(640);
    // 16 pt − 0.25 pt character spacing: 28 × 15.75 pt fit the 442.2 pt line.
    const spacing = first.getElementsByTagNameNS(W, 'r')[0]!.getElementsByTagNameNS(W, 'spacing')[0]!;
    expect(num(spacing, 'val')).toBe(-5);
    expect(28 * (16 - 0.25)).toBeLessThanOrEqual((11906 - 1588 - 1474) / 20);
  });

  it('Normal is 三号 仿宋_GB2312; paragraphs use a style that does not snap to the grid', () => {
    const styles = parseXml(district.parts['word/styles.xml']!);
    const byId = (id: string) => Array.from(styles.getElementsByTagNameNS(W, 'style')).find((s) => wAttr(s, 'styleId') === id)!;
    const normal = byId('Normal');
    expect(num(normal.getElementsByTagNameNS(W, 'sz')[0]!, 'val')).toBe(32);
    expect(wAttr(normal.getElementsByTagNameNS(W, 'rFonts')[0]!, 'eastAsia')).toBe('仿宋_GB2312');
    const noGrid = byId('NoGrid');
    expect(wAttr(noGrid.getElementsByTagNameNS(W, 'snapToGrid')[0]!, 'val')).toBe('0');
  });

  it('declares the Chinese fonts with their alternate names in the font table', () => {
    const ft = parseXml(district.parts['word/fontTable.xml']!);
    const fonts = Object.fromEntries(
      Array.from(ft.getElementsByTagNameNS(W, 'font')).map((f) => [wAttr(f, 'name'), wAttr(firstChild(f, 'altName'), 'val')]),
    );
    expect(fonts['仿宋_GB2312']).toBe('仿宋');
    expect(fonts['楷体_GB2312']).toBe('楷体');
    expect(fonts).toHaveProperty('方正小标宋简体');
    expect(fonts).toHaveProperty('黑体');
    expect(fonts).toHaveProperty('Times New Roman');
  });
});

describe('fonts on every run', () => {
  it('every run of every part names its East Asian font', () => {
    for (const o of [district, city, ledger]) {
      for (const [name, xml] of Object.entries(o.parts)) {
        if (!/^word\/(document|footer\d+)\.xml$/.test(name)) continue;
        const runs = Array.from(parseXml(xml).getElementsByTagNameNS(W, 'r'));
        for (const r of runs) {
          const f = firstChild(firstChild(r, 'rPr'), 'rFonts');
          expect(wAttr(f, 'eastAsia'), `${name}: ${textOf(r)}`).toBeTruthy();
          expect(wAttr(f, 'ascii'), `${name}: ${textOf(r)}`).toBeTruthy();
        }
      }
    }
  });

  it('title 方正小标宋简体 二号 centred; headings 黑体 / 楷体_GB2312 / 仿宋 bold; body 仿宋_GB2312 三号; Latin Times New Roman', () => {
    const title = para(district, '玄武区服务业扩大开放综合试点推进情况报告');
    expect(wAttr(firstChild(firstChild(title, 'pPr'), 'jc'), 'val')).toBe('center');
    expect(runFonts(title)).toEqual([{ eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman', sz: 44 }]);
    expect(runFonts(para(district, '一、总体推进情况'))[0]).toEqual({ eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman', sz: 32 });
    const h2 = district.blocks.find((b) => textOf(b).startsWith('（一）表1'))!;
    expect(runFonts(h2)[0]!.eastAsia).toBe('楷体_GB2312');
    // A level-3 heading leads its paragraph in bold 仿宋: 「1. 主题。」 then the text.
    const h3 = district.blocks.find((b) => /^1\. .+。/u.test(textOf(b)))!;
    expect(runFonts(h3)[0]!.eastAsia).toBe('仿宋_GB2312');
    expect(firstChild(firstChild(h3.getElementsByTagNameNS(W, 'r')[0]!, 'rPr'), 'b')).not.toBeNull();
    const bodyPara = district.blocks.find((b) => textOf(b).startsWith('截至2025年3月5日'))!;
    for (const r of runFonts(bodyPara)) expect(r).toEqual({ eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman', sz: 32 });
  });
});

describe('page numbers', () => {
  it('「— PAGE —」 宋体 四号: odd pages right, even pages left; evenAndOddHeaders on', () => {
    expect(district.parts['word/settings.xml']).toMatch(/<w:evenAndOddHeaders\/>/);
    for (const o of [district, city, ledger]) {
      for (const sect of el(o.doc, 'sectPr')) {
        for (const [type, jc] of [['default', 'right'], ['even', 'left']] as const) {
          const f = footerOf(o, sect, type);
          const pEl = f.getElementsByTagNameNS(W, 'p')[0]!;
          expect(wAttr(firstChild(firstChild(pEl, 'pPr'), 'jc'), 'val')).toBe(jc);
          const instr = Array.from(f.getElementsByTagNameNS(W, 'instrText')).map((i) => i.textContent?.trim());
          expect(instr).toContain('PAGE');
          const text = Array.from(f.getElementsByTagNameNS(W, 't')).map((t) => t.textContent).join('');
          expect(text.startsWith('— ')).toBe(true);
          expect(text.endsWith(' —')).toBe(true);
          expect(text.replace(/[— ]/g, '')).toMatch(/^\d*$/);
          for (const r of runFonts(pEl)) {
            expect(r.eastAsia).toBe('宋体');
            expect(r.sz).toBe(28);
          }
        }
      }
    }
  });
});

describe('landscape ledger', () => {
  it('the district report\'s annex is the compact ledger: one row per annotated task, 推进情况 shortened at a sentence', () => {
    const landscape = el(district.doc, 'sectPr').filter((s) => wAttr(firstChild(s, 'pgSz'), 'orient') === 'landscape');
    expect(landscape.length).toBeGreaterThan(0);
    const tbl = district.blocks.filter((b) => b.localName === 'tbl').find((t) => tableCells(t)[0]![0] === '序号')!;
    const cells = tableCells(tbl);
    expect(cells[0]).toEqual(['序号', '任务编号', '试点任务', '牵头单位', '完成时限', '完成状态', '推进情况（摘要）', '备注']);
    expect(cells).toHaveLength(1 + expectedDistrict().length);
    for (const row of cells.slice(1)) {
      expect(Array.from(row[6]!).length).toBeLessThanOrEqual(60);
      // Whole sentences, or whole clauses with an ellipsis.
      if (row[6]) expect(row[6]).toMatch(/[。！？…]$/u);
    }
    const widths = children(firstChild(tbl, 'tblGrid')!, 'gridCol').map((g) => num(g, 'w'));
    expect(widths.reduce((a, b) => a + b, 0)).toBe(16838 - 2098 - 1984);
  });

  it('is a landscape section with the 14 columns, the header repeated and rows kept whole', () => {
    for (const o of [ledger]) {
      const landscape = el(o.doc, 'sectPr').filter((s) => wAttr(firstChild(s, 'pgSz'), 'orient') === 'landscape');
      expect(landscape.length).toBeGreaterThan(0);
      const pgSz = firstChild(landscape[0]!, 'pgSz');
      expect([num(pgSz, 'w'), num(pgSz, 'h')]).toEqual([16838, 11906]);
      const tbl = o.blocks.filter((b) => b.localName === 'tbl').find((t) => tableCells(t)[0]![0] === '序号')!;
      const cells = tableCells(tbl);
      // Four-character labels in columns narrower than four characters break two and two (not 任务编 / 号);
      // the wide columns keep theirs on one line.
      expect(cells[0]).toEqual(['序号', '任务\n编号', '类别/领域', '试点任务', '牵头\n单位', '配合\n单位', '责任区/功能区', '完成\n时限', '推进情况', '量化成效', '存在\n问题', '下步\n计划', '完成\n状态', '备注']);
      const rows = children(tbl, 'tr');
      expect(firstChild(firstChild(rows[0]!, 'trPr'), 'tblHeader')).not.toBeNull();
      for (const r of rows) expect(firstChild(firstChild(r, 'trPr'), 'cantSplit')).not.toBeNull();
      expect(rows).toHaveLength(1 + expectedDistrict().length);
      expect(cells[1]!.slice(0, 2)).toEqual(['1', 'T1-01']);
      expect(cells[1]![8]).toContain(NOTE_MARK);
      // 五号 text in the ledger.
      expect(runFonts(rows[1]!)[0]!.sz).toBe(21);
      const widths = children(firstChild(tbl, 'tblGrid')!, 'gridCol').map((g) => num(g, 'w'));
      expect(widths.reduce((a, b) => a + b, 0)).toBe(16838 - 2098 - 1984);
    }
  });

  it('the ledger kind is the landscape ledger alone, titled', () => {
    const sects = el(ledger.doc, 'sectPr');
    expect(sects).toHaveLength(1);
    expect(wAttr(firstChild(sects[0]!, 'pgSz'), 'orient')).toBe('landscape');
    expect(textOf(ledger.blocks[0]!)).toBe('玄武区试点任务清单推进情况表');
  });
});

describe('一、总体推进情况: every figure equals the data', () => {
  it('district: the 104 tasks (unannotated as 未启动), recomputed from the fixture, in the text and the table', () => {
    const exp = expectedDistrict();
    const t = tally(exp);
    t.not_started += 104 - exp.length;
    const start = district.blocks.findIndex((b) => textOf(b) === '一、总体推进情况');
    const end = district.blocks.findIndex((b) => textOf(b) === '二、主要做法和成效');
    const section = district.blocks.slice(start, end);
    const text = section.filter((b) => b.localName === 'p').map(textOf).join('\n');
    expect(text).toContain('玄武区承担的方案104项试点任务中，');
    for (const s of STATUSES) if (t[s]) expect(text).toContain(`${STATUS_LABELS[s]}${t[s]}项`);
    const impl = t.done + t.mostly_done;
    expect(text).toContain(`已实施（已完成和基本完成）${impl}项，占应实施任务（不含不涉及）${104 - t.not_applicable}项的${share(impl, 104 - t.not_applicable)}`);
    expect(text).toContain(`其中${104 - exp.length}项任务尚未填报，按未启动计`);
    expect(text).toContain(`红灯2项、黄灯1项、绿灯${exp.length - 3}项，未启动且未定完成时限的${104 - exp.length}项未亮灯`);
    for (const tb of [1, 2, 3, 4, 5]) expect(text).toContain(`表${tb}共${c.tasks.filter((x) => x.table === tb).length}项`);
    const tbl = section.find((b) => b.localName === 'tbl')!;
    const rows = tableCells(tbl);
    const order: Status[] = ['done', 'mostly_done', 'on_track', 'delayed', 'not_started', 'not_applicable'];
    expect(rows.find((r) => r[0] === '合计')).toEqual(['合计', '104', ...order.map((s) => String(t[s])), share(impl, 104 - t.not_applicable)]);
    for (const tb of [1, 2, 3, 4, 5]) {
      const row = rows.find((r) => r[0]!.startsWith(`表${tb}\n`))!;
      const tt = tally(exp.filter((a) => tableOf.get(a.taskId) === tb));
      tt.not_started += c.tasks.filter((x) => x.table === tb).length - exp.filter((a) => tableOf.get(a.taskId) === tb).length;
      expect(row.slice(1, 8)).toEqual([String(c.tasks.filter((x) => x.table === tb).length), ...order.map((s) => String(tt[s]))]);
    }
  });

  it('city: the plan\'s 104 tasks, never task × unit pairs; each unit\'s 104 tasks in the unit table', () => {
    const exp = smallAnnotations().filter((a) => taskIds.has(a.taskId) && Date.parse(a.updatedAt) < AS_OF_END);
    const start = city.blocks.findIndex((b) => textOf(b) === '一、总体推进情况');
    const end = city.blocks.findIndex((b) => textOf(b) === '二、主要做法和成效');
    const section = city.blocks.slice(start, end);
    const text = section.filter((b) => b.localName === 'p').map(textOf).join('\n');
    expect(text).toContain('全市承担的方案104项试点任务中');
    expect(text).not.toContain(`${exp.length}项试点任务`);
    const all = city.blocks.map(textOf);
    expect(all.find((t) => t.startsWith('说明：'))).toContain('全市任务数按方案104项试点任务计');
    // Ragged right, so the line before the unbreakable hash is not stretched letter by letter.
    const note = city.blocks.find((b) => textOf(b).startsWith('说明：'))!;
    expect(wAttr(firstChild(firstChild(note, 'pPr'), 'jc'), 'val')).toBe('left');
    // …which starts a line of its own (a break just before it), so 「（语料哈希）」 is not torn apart.
    expect(note.getElementsByTagNameNS(W, 'br').length).toBe(1);
    expect(textOf(note).replace(/\s/g, '')).toContain(`（语料哈希）${c.hash}`);
    const [byTable, unitTable] = section.filter((b) => b.localName === 'tbl');
    expect(tableCells(byTable!).find((r) => r[0] === '合计')![1]).toBe('104');
    const rows = tableCells(unitTable!);
    expect(rows).toHaveLength(1 + 13);
    for (const u of UNITS) {
      const mine = exp.filter((a) => a.unitCode === u.code);
      const row = rows.find((r) => r[0] === u.name)!;
      expect(row[1]).toBe('104');
      expect(row[2]).toBe(String(mine.filter((a) => a.status === 'done').length));
      expect(row[6]).toBe(String(mine.filter((a) => a.status === 'not_started').length + 104 - mine.length));
    }
  });
});

describe('content', () => {
  it('二、 says each measure and figure once with its tasks; 未启动 tasks give neither 做法 nor 成效', () => {
    const all = district.blocks.map(textOf);
    const start = all.indexOf('二、主要做法和成效');
    const end = all.indexOf('三、制度创新成果和最佳实践案例');
    const sec = all.slice(start, end).join('\n');
    expect(sec).toContain('主要做法。');
    expect(sec).toContain(RESULT_MARK); // T1-01 (已完成): its figure is the strongest of its kind
    const notStarted = expectedDistrict().filter((a) => a.status === 'not_started').map((a) => a.taskId);
    for (const id of notStarted) expect(sec).not.toMatch(new RegExp(`${id}[^、，；。]*?(累计|新增|服务企业)`, 'u'));
    // No stock opening repeated per task.
    expect(sec).not.toMatch(/总体进展。截至/u);
  });

  it('has 三、四、五, the attachment note, signature with 成文日期 and the 说明 line', () => {
    const all = district.blocks.map(textOf);
    for (const h of ['三、制度创新成果和最佳实践案例', '四、存在问题', '五、下一步工作打算']) expect(all).toContain(h);
    expect(all).toContain('附件：1. 任务清单推进情况表');
    expect(all).toContain('2. 制度创新成果和最佳实践案例材料');
    expect(all).toContain('任务清单推进情况表');
    const issuer = para(district, '玄武区人民政府');
    const date = para(district, '2025年3月5日');
    expect(wAttr(firstChild(firstChild(date, 'pPr'), 'jc'), 'val')).toBe('right');
    const ind = signatureIndents('玄武区人民政府', '2025年3月5日');
    expect(num(firstChild(firstChild(issuer, 'pPr'), 'ind'), 'right')).toBe(ind.issuerRight);
    expect(num(firstChild(firstChild(date, 'pPr'), 'ind'), 'right')).toBe(ind.dateRight);
    // The 说明 line closes the annexes; only the 版记 (抄送, 印发) follows it.
    const texts = all.filter((t) => t);
    const last = texts.at(-2)!;
    expect(texts.at(-1)).toMatch(/印发$/);
    expect(last).toMatch(/^说明：/);
    expect(last).toContain(c.hash);
    expect(last).toContain('2025年3月5日');
  });

  it('puts the date two characters right of the issuer (GB/T 9704 7.3.5.2)', () => {
    // In the widths on the line: a Chinese character 315 twips (15.75 pt), a digit 155, ¼ character (80) between the two.
    // 玄武区人民政府 7 × 315 = 2205; 2025年3月5日 3 × 315 + 6 × 155 + 5 × 80 = 2275: the date is longer.
    expect(signatureIndents('玄武区人民政府', '2025年3月5日')).toEqual({ issuerRight: 4 * 315 + 2275 - 2205, dateRight: 2 * 315 });
    // A long issuer: issuer two characters in, the date under it, two characters right of its start.
    expect(signatureIndents('南京市服务业扩大开放综合试点工作领导小组办公室', '2025年3月5日')).toEqual({ issuerRight: 630, dateRight: 23 * 315 - 2275 });
  });

  it('breaks a long title where the words allow, into lines that fit', () => {
    expect(titleLines('南京市服务业扩大开放综合试点推进情况暨三年评估报告', 20)).toEqual(['南京市服务业扩大开放综合试点推进情况', '暨三年评估报告']);
    expect(titleLines('玄武区服务业扩大开放综合试点推进情况报告', 20)).toEqual(['玄武区服务业扩大开放综合试点推进情况报告']);
    for (const l of titleLines('一'.repeat(35), 20)) expect(l.length).toBeLessThanOrEqual(20);
  });

  it('city report has the unit chart, the unit table and the task × unit matrix in landscape', async () => {
    const all = city.blocks.map(textOf);
    expect(all).toContain('（二）分单位推进情况');
    expect(all).toContain('试点任务分单位完成状态表');
    expect(all).toContain('试点任务推进情况汇总表');
    expect(all).toContain('（五）有关建议和请求');
    const matrix = city.blocks.filter((b) => b.localName === 'tbl').find((t) => tableCells(t)[0]![0] === '任务')!;
    const cells = tableCells(matrix);
    expect(cells[0]!.slice(1)).toEqual(['全市', ...UNITS.map((u) => u.name)]);
    expect(cells).toHaveLength(1 + 104);
    const t101 = cells.find((r) => r[0]!.startsWith('T1-01'))!.slice(1);
    expect(t101.slice(1, 3)).toEqual(['完成', '序时']);
    expect(all.some((t) => t.includes('完成=已完成，基本=基本完成，序时=序时推进，滞后=进度滞后，未启=未启动，不涉=不涉及'))).toBe(true);
    expect(t101[3]).toBe('—');
  });
});

describe('charts', () => {
  it('finds a CJK font from a list of candidates', () => {
    const list = cjkFontCandidates({ PILOT_DESK_CJK_FONT: '/nope/font.ttf' });
    expect(list[0]!.path).toBe('/nope/font.ttf');
    expect(list.some((x) => x.path.endsWith('msyh.ttc'))).toBe(true);
    expect(findCjkFont(list, (p) => p.endsWith('simhei.ttf'))!.family).toBe('SimHei');
    expect(findCjkFont(list, () => false)).toBeNull();
  });

  it('renders the chart to PNG and embeds it in the document', async () => {
    const m = model(input('city'));
    const img = renderChartPng(statusByTableChart(m));
    expect(Array.from(img.png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(img.cjkFont).toBe(true);
    const o = await open(input('city'), true);
    const media = Object.keys(o.parts).filter((k) => k.startsWith('word/media/'));
    expect(media.length).toBe(2);
    expect(o.blocks.map(textOf)).toContain('图1  各表任务完成状态分布');
  }, 60_000);
});

describe('adversarial text', () => {
  it('control characters, U+FFFE/U+FFFF, lone surrogates and a 10,000-character note give a well-formed document', async () => {
    const long = '长'.repeat(9_990) + '批注末尾ABCDEF';
    const evil: Annotation[] = [
      ann('T1-01', '320102', {
        status: 'delayed',
        progressNotes: doc(p('控制\u0001字符\u000b与\uFFFE非字符\ud800孤立代理'), p(long)),
        results: '成效\uFFFF',
        problems: '问题\u0000\u001f',
        nextSteps: '计划\udc00',
        leadUnits: ['牵头\u0002单位'],
        isInnovation: true,
      }),
    ];
    const units = UNITS.map((u) => (u.code === '320102' ? { ...u, name: '玄武区\u0003' } : u));
    for (const kind of ['district', 'city', 'ledger'] as const) {
      const o = await open(input(kind, { annotations: evil, units, title: '标题\u0007<&>"\'' }));
      const xml = o.parts['word/document.xml']!;
      // eslint-disable-next-line no-control-regex
      expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)).toBe(false);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)).toBe(false);
      const text = o.blocks.map((b) => textOf(b)).join('\n');
      expect(text).toContain('控制字符与非字符孤立代理');
      expect(text).toContain('标题<&>"\'');
      // The long note is printed whole (in the ledger at least), not cut.
      expect(text).toContain(long);
    }
  }, 60_000);

  it('a very tall ledger row may break across pages; ordinary rows may not', async () => {
    const long = '长'.repeat(10_000);
    const list = [ann('T1-01', '320102', { status: 'done', progressNotes: doc(p(long)) }), ann('T1-02', '320102', { status: 'done', progressNotes: doc(p('短')) })];
    const o = await open(input('ledger', { annotations: list }));
    const tbl = o.blocks.find((b) => b.localName === 'tbl')!;
    const rows = children(tbl, 'tr');
    expect(firstChild(firstChild(rows[1]!, 'trPr'), 'cantSplit')).toBeNull();
    expect(firstChild(firstChild(rows[2]!, 'trPr'), 'cantSplit')).not.toBeNull();
  });

  it('an empty scope is refused with the clear message, never an empty file', () => {
    const r = buildReportModel(input('district', { annotations: [] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('所选范围内没有批注数据，无法生成报告。请调整单位、表格或状态范围。');
  });
});
