/** The Excel ledger: columns, frozen header, filter, status drop-down, widths, safe text. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { STATUSES, STATUS_LABELS } from '../../src-main/shared/domain';
import { LEDGER_COLUMNS, buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { LEDGER_HEADER_ROW, renderLedgerXlsx } from '../../src-main/main/report/xlsx';
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
    // Widths fit Chinese text: 试点任务 and 推进情况 wide, every header fits (2 units per character).
    LEDGER_COLUMNS.forEach((col, i) => {
      const w = ws.getColumn(i + 1).width!;
      expect(w, col.label).toBeGreaterThanOrEqual(Math.min(col.label.length * 2, 12));
    });
    expect(ws.getColumn(4).width).toBeGreaterThanOrEqual(36);
    expect(ws.getColumn(9).width).toBeGreaterThanOrEqual(40);
    expect(wb.getWorksheet('说明')!.getCell('B6').value).toBe(c.hash);
  });

  it('writes hostile text as a valid workbook', async () => {
    const evil = [ann('T1-01', '320102', { status: 'done', progressNotes: doc(p('坏\u0001\u000b\uFFFE\ud800字')), results: 'x'.repeat(10_000), problems: '\uFFFF' })];
    const parts = unzipText(await renderLedgerXlsx(model(evil)));
    for (const [name, xml] of Object.entries(parts)) if (name.endsWith('.xml')) expect(xmlError(xml), name).toBeNull();
    expect(parts['xl/sharedStrings.xml']).toContain('坏字');
  });
});
