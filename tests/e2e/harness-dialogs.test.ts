/**
 * `npm run dev:web` is how someone without Electron tries the app, so its dialogs must work for a
 * person: 导出批注包 downloads the bundle, 选择批注包 opens the browser's file picker, and what
 * follows the dialog is the same code as in the desktop app (headless Chromium through the harness
 * in its dev:web mode; no test queue involved).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppSession, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('the harness as a person uses it (dev:web)', () => {
  it('exports a bundle as a download and imports it through the file picker', async () => {
    const app = await startApp({ browserDialogs: true });
    sessions.push(app);
    const { page } = app;
    await new ProfileDialog(page).complete('张三', '玄武区');
    const wb = new Workbench(page);
    await wb.waitReady();
    // Something to export: one annotated task.
    const panel = new AnnotationPanel(page);
    await wb.openTask('T1-01');
    await panel.setStatus('序时推进');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
    await page.locator('.app-header .ant-segmented-item', { hasText: '批注包' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出批注包/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^批注包-玄武区-\d{4}-\d{2}-\d{2}\.pilotbundle$/);
    const file = join(mkdtempSync(join(tmpdir(), 'dev-web-')), download.suggestedFilename());
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    expect(app.harness.dialogQueue).toEqual([]);

    // The picker is the browser's own; canceling it is a canceled dialog (nothing happens).
    const [cancel] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /选择批注包/ }).click()]);
    await cancel.setFiles([]);
    await page.waitForTimeout(0);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /选择批注包/ }).click()]);
    expect(chooser.isMultiple()).toBe(false);
    await chooser.setFiles(file);
    // Its own export: the preview says everything is already here.
    await expect.poll(() => page.getByText(/无需导入|本机都已有/).count()).toBeGreaterThan(0);
    expect(app.errors).toEqual([]);
  });
});
