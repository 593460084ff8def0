/**
 * The officials' daily work, end to end in headless Chromium (not Electron) through the harness:
 * annotate a task, keep a progress log and evidence, reload and find everything, see one revision
 * per save with the right diff, restore an old one, and never lose typing when the page closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function setUp(): Promise<{ wb: Workbench; panel: AnnotationPanel }> {
  app = await startApp();
  await new ProfileDialog(app.page).complete('张三', '玄武区');
  const wb = new Workbench(app.page);
  await wb.waitReady();
  return { wb, panel: new AnnotationPanel(app.page) };
}

describe('annotation workspace', () => {
  it('keeps status, units, deadline, notes, a log entry and evidence across a reload; history shows each working session and restores', async () => {
    const { wb, panel } = await setUp();
    await wb.openTask('T1-09');

    // One revision per working session: saves of one annotation by its author amend the open
    // revision until the task is left (or the revision is shared). Each step below is one save
    // followed by leaving the task and coming back, so each is a revision of its own.
    const session = async () => {
      await panel.waitSaved();
      await wb.openTask('T1-10');
      await wb.openTask('T1-09');
    };
    // Session 1: status.
    await panel.setStatus('进度滞后');
    await session();
    // Session 2: lead unit (typed into the tag box, committed by Enter).
    await panel.addTag('leadUnits', '市商务局');
    await session();
    // Session 3: deadline.
    await panel.field('deadline').fill('2025-06-30');
    await panel.waitSaved();
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
    await session();
    // Session 4: rich notes, entered as one input (as an IME commit or a paste arrives), and in
    // the same sitting a second sentence: the two saves are one revision.
    await panel.notes.click();
    await app!.page.keyboard.insertText('已设立“南京服务专区”，完成知识产权质押融资12亿元。');
    await panel.waitSaved();
    await expect.poll(() => panel.saveState.getAttribute('data-save-state'), { timeout: 5000 }).toBe('saved');
    await app!.page.keyboard.insertText('入驻机构12家。');
    await panel.waitSaved();
    await expect.poll(() => panel.saveState.getAttribute('data-save-state'), { timeout: 5000 }).toBe('saved');

    // A progress-log entry.
    await panel.tab('进展记录');
    await panel.root.getByLabel('日期').fill('2024-03-15');
    await panel.root.getByRole('textbox', { name: '内容' }).click();
    await app!.page.keyboard.type('召开专区推进会，12家机构入驻。');
    await panel.root.getByRole('button', { name: '添加记录' }).click();
    await panel.root.locator('.timeline-entry', { hasText: '12家机构入驻' }).waitFor();

    // Evidence with a file chosen in the (queued) open dialog.
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    const file = join(dir, '专区设立通知.pdf');
    writeFileSync(file, '%PDF-1.4 test evidence');
    await panel.tab('佐证材料');
    await panel.root.getByRole('button', { name: '添加佐证材料' }).click();
    app!.harness.dialogQueue.push(file);
    const modal = app!.page.getByRole('dialog');
    await modal.getByRole('button', { name: /选择文件/ }).click();
    await modal.getByText('专区设立通知.pdf').waitFor();
    await modal.getByLabel('文号').fill('宁知发〔2023〕5号');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await panel.root.locator('.evidence-list tr', { hasText: '宁知发〔2023〕5号' }).waitFor();

    // Reload at once: everything is still there.
    await app!.page.reload();
    await wb.waitReady();
    await wb.openTask('T1-09');
    await panel.waitSaved();
    expect(await panel.status()).toContain('进度滞后');
    expect(await panel.tags('leadUnits')).toEqual(['市商务局']);
    // Shown as a date (stored as 2025-06-30).
    expect(await panel.field('deadline').inputValue()).toBe('2025年6月30日');
    expect(await panel.notes.innerText()).toContain('完成知识产权质押融资12亿元');
    await panel.root.scrollIntoViewIfNeeded();
    await app!.page.screenshot({ path: screenshotPath('annotation.png') });
    // The tree shows the status badge of this unit's annotation.
    expect(await wb.tree.locator('[data-task-id="T1-09"] [data-status]').getAttribute('data-status')).toBe('delayed');
    await panel.tab('进展记录');
    await panel.root.locator('.timeline-entry', { hasText: '12家机构入驻' }).waitFor();
    await panel.tab('佐证材料');
    const row = panel.root.locator('.evidence-list tr', { hasText: '宁知发〔2023〕5号' });
    await row.getByRole('button', { name: /专区设立通知\.pdf/ }).click();
    await expect.poll(() => app!.harness.opened.length).toBe(1);
    expect(app!.harness.opened[0]).toMatch(/专区设立通知\.pdf$/);

    // History: one revision per working session, newest first, with the right diff.
    await panel.tab('修改历史');
    const rows = panel.root.locator('.history-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.nth(0).innerText()).toContain('推进情况');
    expect(await rows.nth(1).innerText()).toContain('完成时限');
    expect(await rows.nth(2).innerText()).toContain('牵头单位');
    expect(await rows.nth(3).innerText()).toContain('创建');
    const diff = panel.root.locator('.history-diff tbody tr');
    expect(await diff.count()).toBe(1);
    expect(await diff.first().innerText()).toContain('完成知识产权质押融资12亿元');
    expect(await diff.first().innerText()).toContain('入驻机构12家');

    await panel.root.locator('.history-diff').scrollIntoViewIfNeeded();
    await app!.page.screenshot({ path: screenshotPath('history.png') });

    // Restore the first revision: a new revision, the old ones kept.
    await rows.nth(3).getByRole('button', { name: '恢复到此版本' }).click();
    await app!.page.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.nth(0).innerText()).toContain('恢复');
    await panel.tab('批注');
    expect(await panel.field('deadline').inputValue()).toBe('');
    expect(await panel.notes.innerText()).not.toContain('12亿元');
    expect(await panel.status()).toContain('进度滞后');
    expect(await panel.tags('leadUnits')).toEqual([]);
    expect(app!.errors).toEqual([]);
  });

  it('keeps text typed just before the page closed (before the autosave delay)', async () => {
    const { wb, panel } = await setUp();
    await wb.openTask('T2-03');
    await panel.field('problems').click();
    await app!.page.keyboard.type('土地指标紧张');
    // Close at once: well before the autosave delay has passed.
    const page = await app!.restart();
    const wb2 = new Workbench(page);
    await wb2.waitReady();
    await wb2.openTask('T2-03');
    const panel2 = new AnnotationPanel(page);
    await expect.poll(() => panel2.field('problems').inputValue()).toBe('土地指标紧张');
    await panel2.waitSaved();
  });

  it('does not save half-composed IME input', async () => {
    const { wb, panel } = await setUp();
    await wb.openTask('T3-01');
    await panel.field('results').click();
    // The page's clock is Playwright's from here on (it runs on as usual), so the test can jump
    // past the autosave delay instead of waiting and hoping a loaded machine has got there.
    await app!.page.clock.install();
    const cdp = await app!.context.newCDPSession(app!.page);
    await cdp.send('Input.imeSetComposition', { text: 'zhong', selectionStart: 5, selectionEnd: 5 });
    // Well past the autosave delay while the composition is open: the autosave timer has certainly
    // fired, and a save it started would show as saving or saved at once.
    await app!.page.clock.fastForward(10_000);
    expect(['saving', 'saved']).not.toContain(await panel.saveState.getAttribute('data-save-state'));
    // Composition ends with the committed text: now the autosave saves it.
    await cdp.send('Input.insertText', { text: '中' });
    await app!.page.clock.fastForward(10_000);
    await panel.waitSaved();
    expect(await panel.field('results').inputValue()).toBe('中');
    // What is stored is the committed text: reload and look.
    await app!.page.reload();
    await wb.waitReady();
    await wb.openTask('T3-01');
    await expect.poll(() => panel.field('results').inputValue()).toBe('中');
  });

  it('refuses bad input at the field and saves nothing wrong', async () => {
    const { wb, panel } = await setUp();
    await wb.openTask('T4-01');
    await panel.field('deadline').fill('2022-12-01');
    await expect.poll(() => panel.fieldError('完成时限').innerText()).toContain('不能早于');
    await panel.field('deadline').fill('明年');
    await expect.poll(() => panel.fieldError('完成时限').innerText()).toContain('有效日期');
    await panel.field('deadline').fill('');
    await panel.field('progress').fill('101');
    await panel.field('progress').blur();
    await expect.poll(() => panel.fieldError('进度（%）').innerText()).toContain('0 到 100');
    expect(await panel.saveState.getAttribute('data-save-state')).toBe('invalid');
    // Nothing was stored: after a reload the typed value comes back for correction (it is not lost),
    // still refused, and the history has no revision.
    await app!.page.reload();
    await wb.waitReady();
    await wb.openTask('T4-01');
    // The recovered draft is shown at once and refused by the autosave that follows (AUTOSAVE_MS).
    await expect.poll(() => panel.saveState.getAttribute('data-save-state'), { timeout: 10_000 }).toBe('invalid');
    expect(await panel.field('progress').inputValue()).toBe('101');
    await panel.tab('修改历史');
    await panel.root.getByText('暂无修改记录').waitFor();

    // An attachment over 25 MB: a message at the field, nothing written.
    const dir = mkdtempSync(join(tmpdir(), 'big-'));
    const big = join(dir, '大文件.pdf');
    writeFileSync(big, Buffer.alloc(25 * 1024 * 1024 + 1));
    await panel.tab('佐证材料');
    await panel.root.getByRole('button', { name: '添加佐证材料' }).click();
    app!.harness.dialogQueue.push(big);
    const modal = app!.page.getByRole('dialog');
    await modal.getByRole('button', { name: /选择文件/ }).click();
    await expect.poll(() => modal.locator('.ant-form-item-explain-error').innerText()).toContain('文件过大');
  });
});
