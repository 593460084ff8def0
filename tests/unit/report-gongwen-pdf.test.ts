/**
 * The 公文 frame as LibreOffice lays it out (a recipient without Word): the 版记 alone on the last
 * page, an even one, at its foot; the 附件说明 whole on one page, with the end of the body and the
 * 落款. Needs soffice and poppler-utils (see tests/support/officeRender.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReportModel } from '../../src-main/shared/report/model';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { docxToPdf, pdfPages } from '../support/officeRender';
import { AS_OF, SIGN_DATE, UNITS, corpus, smallAnnotations, smallEvidence, smallLogs } from './report-fixtures';

describe('the 公文 frame in LibreOffice', () => {
  it('puts the 版记 at the foot of the last, even page and keeps the 附件说明 with the body end and the 落款', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongwen-pdf-'));
    try {
      const m = buildReportModel({
        kind: 'district',
        corpus: corpus(),
        units: UNITS,
        annotations: smallAnnotations(),
        logEntries: smallLogs(),
        evidence: smallEvidence(),
        scope: { unitCodes: ['320102'], tables: [], statuses: [] },
        asOf: AS_OF,
        title: '',
        issuer: '南京市玄武区人民政府',
        signDate: SIGN_DATE,
        form: {
          recipients: '',
          header: { orgMark: '南京市玄武区人民政府文件', docNumber: '玄政发〔2025〕12号', signer: '王五' },
          seal: false,
          note: '联系人：张三，电话：025-12345678',
          copyTo: '市发展改革委，市财政局',
          printer: '',
          printDate: null,
        },
      });
      if (!m.ok) throw new Error(m.error.message);
      const docx = join(dir, 'district.docx');
      writeFileSync(docx, await renderReportDocx(m.value, { charts: false }));
      const pages = pdfPages(docxToPdf(docx, dir));
      const last = pages.at(-1)!;
      // 版记: on the last page, an even one, and nothing else is on it but the page number.
      // The printed page number counts the blank page an even-page section start inserts (LibreOffice
      // leaves that blank page out of the PDF, so the PDF's own page index is not the printed number).
      const printedNumber = Number(/—(\d+)—/.exec(last.text)?.[1]);
      expect(printedNumber % 2, `the 版记 is on printed page ${printedNumber}`).toBe(0);
      expect(last.text).toContain('抄送：市发展改革委，市财政局。');
      expect(last.text).toContain('印发');
      expect(last.text.replace(/—\d+—/, '')).toBe('抄送：市发展改革委，市财政局。南京市玄武区人民政府办公室2025年3月5日印发');
      // At the foot: its last line in the lowest fifth of the page (the 版心 ends 35 mm above the edge).
      const printed = last.words.find((w) => w.text.includes('印发'))!;
      expect(printed.yMax / last.height).toBeGreaterThan(0.8);
      // 附件说明 on one page, with the body's last words and the 落款.
      const note = pages.filter((p) => p.text.includes('附件：'));
      expect(note).toHaveLength(1);
      const page = note[0]!;
      expect(page.text).toContain('2.制度创新成果和最佳实践案例材料'.replace(/\s/g, ''));
      expect(page.text).toContain('南京市玄武区人民政府2025年3月5日');
      expect(page.text).toContain('（联系人：张三，电话：025-12345678）');
      expect(page.text.indexOf('附件：')).toBeGreaterThan(0); // body text above it on the same page
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
