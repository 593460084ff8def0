/**
 * Backups end to end (headless Chromium through the harness, backups in the harness's folder): back
 * up now, change something, restore the backup, undo the restore; and the backup on quit, with the
 * harness closing "the window" through the same QuitGuard main uses (not Electron itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { readBundle } from '../../src-main/shared/bundle/read';
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
    // The newest backup holds what was saved. (The automatic check 5 s after start may have made
    // one of its own, with the same content, on a machine slow enough: count at least one.)
    const made = backups(app.harness.backupDir);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(annotationIn(app.harness.backupDir, made.at(-1)!, 'T3-02', '320114')?.results).toBe('备份前的内容');

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

/** The backups in the folder, oldest first (names sort by time). */
function backups(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pilotbundle'))
    .sort();
}

/** One unit's annotation of a task in a backup file, read and verified as an import would. */
function annotationIn(dir: string, name: string, taskId: string, unitCode: string) {
  const corpus = loadCorpus();
  if (!corpus.ok) throw new Error(corpus.error.message);
  const read = readBundle(new Uint8Array(readFileSync(join(dir, name))), {
    corpusHash: corpus.value.hash,
    taskIds: new Set(corpus.value.tasks.map((t) => t.id)),
  });
  if (!read.ok) throw new Error(read.error.message);
  return read.value.annotations.find((x) => x.taskId === taskId && x.unitCode === unitCode);
}

describe('backup on quit', () => {
  it('saves what was just typed and backs it up before the window closes; no changes, no new backup', { timeout: 240_000 }, async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('钱关窗', '江宁区');
    const wb = new Workbench(page);
    const panel = new AnnotationPanel(page);
    await wb.waitReady();
    await wb.openTask('T1-07');
    const before = backups(app.harness.backupDir);
    // Typed and closed at once: the 0.7 s autosave has not run yet.
    await panel.field('problems').fill('关窗前刚输入的问题');
    expect(await app.harness.requestQuit()).toBe('done');

    const after = backups(app.harness.backupDir);
    expect(after.length).toBe(before.length + 1);
    expect(annotationIn(app.harness.backupDir, after.at(-1)!, 'T1-07', '320115')?.problems).toBe('关窗前刚输入的问题');

    // The next start: nothing changed since that backup, so closing again writes none.
    await page.reload();
    await wb.waitReady();
    expect(await app.harness.requestQuit()).toBe('done');
    expect(backups(app.harness.backupDir)).toEqual(after);
    expect(app.errors).toEqual([]);
  });
});
