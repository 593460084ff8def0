/** The Excel ledger: columns, frozen header, filter, status drop-down, widths, safe text. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { STATUSES, STATUS_LABELS } from '../../src-main/shared/domain';
import { LEDGER_COLUMNS, buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { LEDGER_HEADER_ROW, LIGHT_LEGEND, lightTint, renderLedgerXlsx, rowHeight, textUnits, wrappedLines } from '../../src-main/main/report/xlsx';
import { LIGHTS, LIGHT_COLORS, trafficLight, type Light } from '../../src-main/shared/rules';
import { AS_OF, NOTE_MARK, UNITS, ann, corpus, doc, p, smallAnnotations, unzipText, xmlError } from './report-fixtures';

const c = corpus();

function model(annotations = smallAnnotations()): ReportModel {
  const r = buildReportModel({
    kind: 'ledger',
    corpus: c,
    units: UNITS,
    annotations,
    scope: { unitCodes: [], tables: [], statuses: [] },
    asOf: AS_OF,
    title: '',
    issuer: '南京市商务局',
    signDate: AS_OF,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('renderLedgerXlsx', () => {
  it('has the title, the header row, one row per annotation, frozen header, filter and status list', async () => {
    const m = model();
    const bytes = await renderLedgerXlsx(m);
    const parts = unzipText(bytes);
    for (const [name, xml] of Object.entries(parts)) if (name.endsWith('.xml')) expect(xmlError(xml), name).toBeNull();
    const sheet = parts['xl/worksheets/sheet1.xml']!;
    expect(sheet).toMatch(/<pane [^>]*ySplit="2"[^>]*state="frozen"/);
    expect(sheet).toContain(`<autoFilter ref="A${LEDGER_HEADER_ROW}:N${LEDGER_HEADER_ROW + m.ledger.length}"/>`);
    const dv = /<dataValidation [^>]*type="list"[^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)<\/formula1>/.exec(sheet)!;
    expect(dv[1]).toBe(`M${LEDGER_HEADER_ROW + 1}:M${LEDGER_HEADER_ROW + m.ledger.length}`);
    expect(dv[2]).toBe(`&quot;${STATUSES.map((s) => STATUS_LABELS[s]).join(',')}&quot;`);
    expect((sheet.match(/<dataValidation /g) ?? []).length).toBe(1);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('任务清单推进情况表')!;
    expect(String(ws.getCell('A1').value)).toContain('任务清单推进情况表');
    const header = (ws.getRow(LEDGER_HEADER_ROW).values as unknown[]).slice(1);
    expect(header).toEqual(LEDGER_COLUMNS.map((x) => x.label));
    expect(ws.rowCount).toBe(LEDGER_HEADER_ROW + m.ledger.length);
    const first = ws.getRow(LEDGER_HEADER_ROW + 1);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe('T1-01');
    expect(String(first.getCell(9).value)).toContain(NOTE_MARK);
    expect(first.getCell(9).alignment?.wrapText).toBe(true);
    // Every header fits its column on at most two lines (2 units per character).
    LEDGER_COLUMNS.forEach((col, i) => {
      const w = ws.getColumn(i + 1).width!;
      expect(w * 2, col.label).toBeGreaterThanOrEqual(col.label.length * 2);
    });
    expect(ws.getColumn(4).width).toBeGreaterThanOrEqual(20);
    expect(ws.getColumn(9).width).toBeGreaterThanOrEqual(28);
  });

  it('writes hostile text as a valid workbook', async () => {
    const evil = [ann('T1-01', '320102', { status: 'done', progressNotes: doc(p('坏\u0001\u000b\uFFFE\ud800字')), results: 'x'.repeat(10_000), problems: '\uFFFF' })];
    const parts = unzipText(await renderLedgerXlsx(model(evil)));
    for (const [name, xml] of Object.entries(parts)) if (name.endsWith('.xml')) expect(xmlError(xml), name).toBeNull();
    expect(parts['xl/sharedStrings.xml']).toContain('坏字');
  });

  it('writes 完成时限 as a real date with a Chinese date format, and an empty cell when there is none', async () => {
    const m = model();
    const ws = await sheetOf(m);
    const col = LEDGER_COLUMNS.findIndex((x) => x.key === 'deadline') + 1;
    const t101 = rowOf(ws, 'T1-01', '玄武区');
    const cell = t101.getCell(col);
    expect(cell.value).toBeInstanceOf(Date);
    // 2024-12-31 as a day (Excel stores days; exceljs reads them back at 00:00 UTC).
    expect((cell.value as Date).toISOString()).toBe('2024-12-31T00:00:00.000Z');
    expect(cell.numFmt).toBe('yyyy"年"m"月"d"日"');
    // The column holds the longest date on one line (else Excel prints ###): 8 digits of 7 px and 5
    // Chinese characters of 11 pt (≈ 15 px) plus the cell's padding.
    expect(Math.trunc(ws.getColumn(col).width! * 7 + 5)).toBeGreaterThanOrEqual(8 * 7 + 5 * 15 + 6);
    // 江北新区's T1-01 has no deadline: an empty cell, not the text "".
    const none = rowOf(ws, 'T1-01', '江北新区').getCell(col);
    expect(none.value ?? null).toBeNull();
    // Every row with a deadline in the model has a date cell for the same day.
    for (const [i, r] of m.ledger.entries()) {
      const v = ws.getRow(LEDGER_HEADER_ROW + 1 + i).getCell(col).value;
      if (r.deadline) expect(v instanceof Date ? `${v.getUTCFullYear()}年${v.getUTCMonth() + 1}月${v.getUTCDate()}日` : v, r.taskId).toBe(r.deadline);
      else expect(v ?? null).toBeNull();
    }
  });

  it('fills each 完成状态 cell with a light tint of its traffic light, and has a legend of the four lights', async () => {
    const m = model();
    const ws = await sheetOf(m);
    const col = LEDGER_COLUMNS.findIndex((x) => x.key === 'status') + 1;
    const seen = new Set<Light>();
    for (const [i, r] of m.ledger.entries()) {
      const cell = ws.getRow(LEDGER_HEADER_ROW + 1 + i).getCell(col);
      const fill = cell.fill as ExcelJS.FillPattern;
      expect(fill?.type, r.taskId).toBe('pattern');
      expect(fill.fgColor?.argb, `${r.taskId} ${r.unitName}`).toBe(lightTint(r.light));
      seen.add(r.light);
    }
    // The fixture has every light: T1-04 delayed (red), T5-02 due within 30 days (yellow), done (green), T5-01 not started (none).
    expect([...seen].sort()).toEqual([...LIGHTS].sort());
    expect(lightTint(rowLight(m, 'T1-04'))).toBe(lightTint('red'));
    // The tints are distinct, pale enough for black text (luminance), and of the light's own hue.
    const tints = LIGHTS.map(lightTint);
    expect(new Set(tints).size).toBe(4);
    for (const light of LIGHTS) {
      const [r, g, b] = rgb(lightTint(light));
      expect(0.2126 * r + 0.7152 * g + 0.0722 * b, light).toBeGreaterThan(180);
      const [R, G, B] = rgb(LIGHT_COLORS[light]);
      const strongest = (x: number[]) => x.indexOf(Math.max(...x));
      if (light !== 'none') expect(strongest([r, g, b]), light).toBe(strongest([R, G, B]));
    }
    // The legend: one cell per light with the same fill and the light's meaning.
    const legend = new Map<string, string>();
    ws.getRow(1).eachCell((cell) => {
      const f = cell.fill as ExcelJS.FillPattern | undefined;
      if (f?.fgColor?.argb) legend.set(String(cell.value), f.fgColor.argb);
    });
    for (const light of LIGHTS) expect(legend.get(LIGHT_LEGEND[light]), light).toBe(lightTint(light));
  });

  it('makes each row tall enough for its wrapped text', async () => {
    const long = '推进情况'.repeat(60); // 240 characters = 480 units
    const m = model([
      ann('T1-01', '320102', { status: 'on_track', progressNotes: doc(p(long)), deadline: '2025-12-31' }),
      ann('T1-02', '320102', { status: 'on_track', progressNotes: doc(p('短。')), deadline: '2025-12-31' }),
    ]);
    const ws = await sheetOf(m);
    const width = ws.getColumn(9).width!;
    const tall = ws.getRow(LEDGER_HEADER_ROW + 1).height!;
    const lines = Math.ceil(480 / width);
    // At least 12 pt per line of the 推进情况 cell, which holds the most.
    expect(tall).toBeGreaterThanOrEqual(lines * 12);
    // The short row still shows its task text (the longest cell), and is shorter.
    const short = ws.getRow(LEDGER_HEADER_ROW + 2).height!;
    expect(short).toBeGreaterThanOrEqual(12 * wrappedLines(m.ledger[1]!.taskText, ws.getColumn(4).width!));
    expect(short).toBeLessThan(tall);
    // CJK characters count two units: the same number of Latin letters needs half the lines.
    expect(textUnits('推进')).toBe(4);
    expect(textUnits('ab')).toBe(2);
    expect(wrappedLines('推'.repeat(40), 22)).toBe(4);
    expect(wrappedLines('a'.repeat(40), 22)).toBe(2);
    expect(wrappedLines('一\n二\n三', 40)).toBe(3);
    // Capped at Excel's maximum row height.
    expect(rowHeight([{ text: '字'.repeat(50_000), width: 10 }])).toBe(409);
  });

  it('prints on A4 landscape one page wide at ≥ 8 pt, the header row on every page, page numbers in the footer', async () => {
    const ws = await sheetOf(model());
    const ps = ws.pageSetup;
    expect(ps.paperSize).toBe(9);
    expect(ps.orientation).toBe('landscape');
    expect(ps.fitToPage).toBe(true);
    expect(ps.fitToWidth).toBe(1);
    expect(ps.fitToHeight).toBe(0);
    expect(ps.printTitlesRow).toBe(`${LEDGER_HEADER_ROW}:${LEDGER_HEADER_ROW}`);
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');
    // The scale Excel and LibreOffice choose to fit the columns to the page width: printable width
    // of A4 landscape (297 mm) less the margins, over the columns' width in pixels (7 px per unit + 5).
    const margins = ps.margins!;
    const printable = (297 / 25.4 - margins.left - margins.right) * 96;
    const columns = LEDGER_COLUMNS.reduce((s, _, i) => s + Math.trunc(ws.getColumn(i + 1).width! * 7 + 5), 0);
    const scale = Math.min(1, printable / columns);
    expect(scale).toBeGreaterThanOrEqual(0.7);
    const font = ws.getRow(LEDGER_HEADER_ROW + 1).getCell(4).font!.size!;
    expect(font * scale).toBeGreaterThanOrEqual(8);
  });

  it('freezes 序号 and 任务编号 with the header row', async () => {
    const ws = await sheetOf(model());
    const view = ws.views[0] as ExcelJS.WorksheetViewFrozen;
    expect(view.state).toBe('frozen');
    expect(view.xSplit).toBe(2);
    expect(view.ySplit).toBe(LEDGER_HEADER_ROW);
    expect(ws.getRow(LEDGER_HEADER_ROW).getCell(1).value).toBe('序号');
    expect(ws.getRow(LEDGER_HEADER_ROW).getCell(2).value).toBe('任务编号');
  });

  it('keeps the corpus hash in the workbook properties, and a short visible 说明 of scope and as-of date', async () => {
    const m = model();
    const bytes = await renderLedgerXlsx(m);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    expect(wb.keywords).toContain(c.hash);
    expect(wb.description).toContain(c.hash);
    expect(wb.description).toContain('数据截至2025年3月5日');
    // Nowhere in a cell.
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.value)))));
    expect(cells.some((v) => v.includes(c.hash))).toBe(false);
    const info = wb.getWorksheet('说明')!;
    const text = (info.getSheetValues() as unknown[][]).flat().map(String).join('\n');
    expect(text).toContain(m.meta.scopeText);
    expect(text).toContain('2025年3月5日');
    expect(text).not.toContain('语料哈希');
  });
});

async function sheetOf(m: ReportModel): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await renderLedgerXlsx(m)) as unknown as ExcelJS.Buffer);
  return wb.getWorksheet('任务清单推进情况表')!;
}

function rowOf(ws: ExcelJS.Worksheet, taskId: string, unitName: string): ExcelJS.Row {
  for (let r = LEDGER_HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(2).value === taskId && row.getCell(7).value === unitName) return row;
  }
  throw new Error(`no row ${taskId} ${unitName}`);
}

function rowLight(m: ReportModel, taskId: string): Light {
  const r = m.ledger.find((x) => x.taskId === taskId)!;
  expect(r.light).toBe(trafficLight({ status: r.statusCode, deadline: '2024-10-31' }, AS_OF));
  return r.light;
}

function rgb(hex: string): number[] {
  const h = hex.replace('#', '').slice(-6);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}
