/**
 * The testers' case, end to end in headless Chromium (not Electron) through the harness: a paste of
 * more than 20,000 characters into 存在问题 and 已完成 chosen. 已完成 is saved all the same; the long
 * text stays in the form in error, the counter shows it red, the task is marked in the tree,
 * leaving it asks (stay / discard), and the report builder names it. And 未启动 on a blank task is
 * recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('a field in error', () => {
  it('holds back no other field and is seen in the tree, on leaving, and in the report builder', async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('张三', '玄武区');
    const wb = new Workbench(page);
    await wb.waitReady();
    const panel = new AnnotationPanel(page);
    await wb.openTask('T1-03');

    await panel.field('problems').fill('问'.repeat(20_001));
    await panel.setStatus('已完成');
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('invalid');
    await expect.poll(() => panel.fieldError('存在问题').innerText()).toMatch(/内容过长/);
    const counter = panel.root.locator('[data-field-count="problems"]');
    await expect.poll(() => counter.innerText()).toBe('20001 / 20000 字');
    expect(await counter.getAttribute('class')).toContain('field-count-near');
    // 已完成 is in the tree already (it is saved), with the mark of unsaved content beside it.
    const leaf = wb.tree.locator('[data-task-id="T1-03"]');
    await expect.poll(() => leaf.innerText()).toContain('已完成');
    await leaf.locator('[data-unsaved-task="T1-03"]').waitFor();
    await page.screenshot({ path: screenshotPath('unsaved-field.png') });

    // Leaving asks; 留在此任务 keeps the task and the text.
    await wb.tree.locator('[data-task-id="T1-04"]').click();
    const ask = page.locator('.ant-modal-confirm', { hasText: '此任务有未保存的内容' });
    await ask.waitFor();
    expect(await ask.count()).toBe(1);
    expect(await ask.innerText()).toContain('存在问题有错误，未保存');
    await ask.getByRole('button', { name: '留在此任务' }).waitFor({ state: 'visible' });
    await page.waitForTimeout(400); // the dialog's opening animation, for the picture only
    await page.screenshot({ path: screenshotPath('unsaved-leave.png') });
    await ask.getByRole('button', { name: '留在此任务' }).click();
    await page.locator('article[data-task-id="T1-03"]').waitFor();
    expect((await panel.field('problems').inputValue()).length).toBe(20_001);

    // The report builder counts what is saved and names the task that is not.
    await page.locator('.app-header .ant-segmented-item', { hasText: '报告' }).click();
    const notice = page.getByTestId('unsaved-notice');
    await expect.poll(() => notice.innerText()).toContain('1 项任务有未保存的内容');
    expect(await notice.innerText()).toContain('T1-03');
    await page.screenshot({ path: screenshotPath('unsaved-report.png') });
  });

  it('放弃有错误的内容 goes back to what is stored; 未启动 on a blank task is recorded', async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('张三', '玄武区');
    const wb = new Workbench(page);
    await wb.waitReady();
    const panel = new AnnotationPanel(page);
    await wb.openTask('T1-05');
    await panel.field('nextSteps').fill('下'.repeat(20_001));
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('invalid');
    await wb.tree.locator('[data-task-id="T1-06"]').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '放弃有错误的内容' }).click();
    await page.locator('article[data-task-id="T1-06"]').waitFor();
    await expect.poll(() => wb.tree.locator('[data-unsaved-task]').count()).toBe(0);

    // 未启动, the value a blank form already shows, chosen on purpose: one revision.
    await panel.setStatus('未启动');
    await panel.waitSaved();
    await panel.tab('修改历史');
    await expect.poll(() => panel.root.locator('.history-table .ant-table-row').count()).toBe(1);
    await app.restart();
    const wb2 = new Workbench(app.page);
    await wb2.waitReady();
    await wb2.openTask('T1-06');
    await expect.poll(() => new AnnotationPanel(app!.page).saveState.getAttribute('data-save-state')).toBe('saved');
  });
});
