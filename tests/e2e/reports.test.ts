/**
 * Report authors end to end (headless Chromium through the harness; the documents are built by
 * the real main-side code): the preview's figures match the data, the Word report and the Excel
 * ledger are saved where the save dialog says, and the folder can be shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('report builder', () => {
  it('previews figures from the data and exports a Word report and an Excel ledger', async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('周报告', '秦淮区');
    const wb = new Workbench(page);
    await wb.waitReady();
    const panel = new AnnotationPanel(page);
    for (const [id, status] of [['T1-01', '已完成'], ['T1-02', '进度滞后'], ['T2-01', '已完成']] as const) {
      await wb.openTask(id);
      await panel.setStatus(status);
      await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
    }
    await panel.field('results').fill('累计服务企业120家，带动投资8.5亿元');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');

    await page.locator('.app-header .ant-segmented-item', { hasText: '报告' }).click();
    const preview = page.getByTestId('report-preview');
    // The district's 104 tasks are counted, the 101 it has not filled in as 未启动.
    await expect.poll(() => preview.innerText()).toContain('方案104项试点任务中纳入统计的104项');
    expect(await preview.innerText()).toContain('已完成2项');
    expect(await preview.innerText()).toContain('进度滞后1项');

    const dir = mkdtempSync(join(tmpdir(), 'reports-'));
    const docx = join(dir, '秦淮区报告.docx');
    app.harness.dialogQueue.push(docx);
    await page.getByRole('button', { name: /导出 Word 报告/ }).click();
    await page.locator('.report-saved').waitFor({ timeout: 60_000 });
    expect(existsSync(docx)).toBe(true);
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!);
    expect(xml).toContain('秦淮区');
    expect(xml).toContain('T1-02');
    expect(xml).toContain('累计服务企业120家');
    await page.getByRole('button', { name: /在文件夹中显示/ }).click();
    await expect.poll(() => app!.harness.shown).toEqual([docx]);

    const xlsx = join(dir, '台账.xlsx');
    app.harness.dialogQueue.push(xlsx);
    await page.getByRole('button', { name: /导出 Excel 台账/ }).click();
    await expect.poll(() => existsSync(xlsx), { timeout: 60_000 }).toBe(true);
    const sheet = strFromU8(unzipSync(new Uint8Array(readFileSync(xlsx)))['xl/sharedStrings.xml']!);
    expect(sheet).toContain('任务编号');
    await page.screenshot({ path: screenshotPath('report-builder.png') });
    expect(app.errors).toEqual([]);
  });
});
