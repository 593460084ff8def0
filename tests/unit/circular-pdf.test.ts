/**
 * The 13-unit demo 情况通报 as LibreOffice lays it out: a few pages, every 公文 element and section
 * in the text, the unit table whole, the 版记 on the last, even page. Page pictures go to
 * test-results/circular/. Needs soffice and poppler-utils (see tests/support/officeRender.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCircularDocx } from '../../src-main/main/report/circularDocx';
import { demoCircular } from '../support/circularDemo';
import { docxToPdf, pagePng, pdfPages } from '../support/officeRender';
import { corpus } from './bundle-fixtures';

describe('情况通报 in LibreOffice', () => {
  it('renders the 13-unit demo round in a few pages with its 公文 elements, sections and the whole unit table', async () => {
    const m = demoCircular(corpus());
    expect(m.units).toHaveLength(13);
    const dir = join('test-results', 'circular');
    mkdirSync(dir, { recursive: true });
    const docx = join(dir, '情况通报.docx');
    writeFileSync(docx, await renderCircularDocx(m));
    const pdf = docxToPdf(docx, dir);
    const pages = pdfPages(pdf);
    pages.forEach((p) => pagePng(pdf, p.number, join(dir, `page-${p.number}`)));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(6);
    expect(pages.length % 2).toBe(0);
    const all = pages.map((p) => p.text).join('');
    for (const s of ['宁试点办〔2025〕8号', '关于2025年6月服务业扩大开放综合试点任务推进情况的通报', '一、报送情况', '二、推进情况', '三、存在问题（退回补充事项）', '四、下步要求', '南京市服务业扩大开放综合试点工作领导小组办公室', '2025年6月24日']) {
      expect(all, s).toContain(s);
    }
    expect(all).toContain(`按时报送${m.onTime.length}个，逾期报送${m.late.length}个`);
    // The unit table is on one page: every unit's row where the header is.
    const tablePage = pages.find((p) => p.text.includes('报送时间'))!;
    for (const u of m.units) expect(tablePage.text, u.name).toContain(u.name);
    // The 版记 alone on the last page.
    expect(pages.at(-1)!.text).toContain('抄送：市商务局。');
    expect(pages.at(-1)!.text).not.toContain('四、下步要求');
  });
});
