/**
 * Backups from the settings screen, end to end (headless Chromium through the harness, backups in
 * the harness's folder): back up now, change something, restore the backup, undo the restore.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { startApp, type AppSession } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('backups', () => {
  it('backs up, restores an older state, and undoes the restore', { timeout: 240_000 }, async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('郑备份', '雨花台区');
    const wb = new Workbench(page);
    const panel = new AnnotationPanel(page);
    await wb.waitReady();
    await wb.openTask('T3-02');
    await panel.field('results').fill('备份前的内容');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');

    const settings = () => page.locator('.app-header .ant-segmented-item', { hasText: '设置' }).click();
    await settings();
    await page.getByRole('button', { name: /立即备份/ }).click();
    await page.getByText(/备份完成/).first().waitFor({ timeout: 60_000 });
    expect(readdirSync(app.harness.backupDir).filter((f) => f.endsWith('.pilotbundle'))).toHaveLength(1);

    await page.locator('.app-header .ant-segmented-item', { hasText: '任务' }).click();
    await wb.openTask('T3-02');
    await panel.field('results').fill('备份后的修改');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');

    await settings();
    const row = page.locator('tr', { hasText: '完好' }).first();
    await row.getByRole('button', { name: /恢\s*复/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: /确\s*定|恢\s*复/ }).last().click();
    await page.getByText(/已从 .* 的备份恢复/).first().waitFor({ timeout: 60_000 });

    await page.locator('.app-header .ant-segmented-item', { hasText: '任务' }).click();
    await wb.openTask('T3-02');
    await expect.poll(() => panel.field('results').inputValue()).toBe('备份前的内容');

    await settings();
    await page.getByRole('button', { name: /撤销恢复/ }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: /确\s*定|撤销恢复/ }).last().click();
    await page.getByText(/已撤销恢复/).first().waitFor({ timeout: 60_000 });
    await page.locator('.app-header .ant-segmented-item', { hasText: '任务' }).click();
    await wb.openTask('T3-02');
    await expect.poll(() => panel.field('results').inputValue()).toBe('备份后的修改');
    expect(app.errors).toEqual([]);
  });
});
