/**
 * The people of the e2e tests with several profiles (bundles, rounds, exchange): each a profile in an
 * app of its own (startApp), and the steps they take through the real screens (headless Chromium
 * through the harness).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chinaToday } from '../../../src-main/shared/time';
import { type AppSession, startApp } from './app';
import { AnnotationPanel, ProfileDialog, Workbench } from './pages';

/** The apps `person` started; a test file closes them after each test (`afterEach(closePeople)`). */
const sessions: AppSession[] = [];
export async function closePeople(): Promise<void> {
  for (const s of sessions.splice(0)) await s.close();
}

/** Starts an app and completes its first-run profile (a district official, or a 市级督办). */
export async function person(name: string, unit: string, supervisor = false): Promise<AppSession> {
  const app = await startApp();
  sessions.push(app);
  if (supervisor) {
    const d = app.page.getByRole('dialog');
    await d.getByLabel('姓名').fill(name);
    await d.getByLabel('所在单位').click();
    await app.page.keyboard.type(unit);
    await app.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unit }).click();
    await d.getByText('市级督办').click();
    await d.getByRole('button', { name: /开始使用/ }).click();
    await d.waitFor({ state: 'detached' });
  } else {
    await new ProfileDialog(app.page).complete(name, unit);
  }
  await new Workbench(app.page).waitReady();
  return app;
}

/** Goes to a view by its tab in the header. */
export async function nav(page: Page, label: string) {
  await page.locator('.app-header .ant-segmented-item', { hasText: label }).click();
}

/**
 * The supervisor defines a round due today (Beijing time) on all units and tables, publishes it and
 * exports the bundle that sends it to `file`; returns `file`.
 */
export async function publishRound(sup: AppSession, name: string, file: string): Promise<string> {
  await nav(sup.page, '填报轮次');
  await sup.page.getByRole('button', { name: /新建轮次/ }).click();
  await sup.page.getByLabel('轮次名称').fill(name);
  await sup.page.getByLabel('截止日期').fill(chinaToday());
  await sup.page.getByRole('button', { name: /发布轮次/ }).click();
  await sup.page.getByText('已发布填报轮次').first().waitFor();
  await nav(sup.page, '批注包');
  sup.harness.dialogQueue.push(file);
  await sup.page.getByRole('button', { name: /导出批注包/ }).click();
  await sup.page.getByText(/已导出/).first().waitFor();
  return file;
}

/** Imports a file through 批注包 → 导入 and applies it. */
export async function importFile(app: AppSession, file: string) {
  await nav(app.page, '批注包');
  app.harness.dialogQueue.push(file);
  await app.page.getByRole('button', { name: /选择批注包/ }).click();
  const preview = app.page.locator('.import-preview');
  await preview.waitFor();
  await preview.getByRole('button', { name: /应用导入/ }).click();
  await app.page.getByText(/导入完成/).first().waitFor();
}

/** Sets a task's status and 存在问题 in the task view and waits for 已保存. */
export async function annotate(app: AppSession, id: string, status: string, problems: string) {
  await nav(app.page, '任务');
  const wb = new Workbench(app.page);
  const panel = new AnnotationPanel(app.page);
  await wb.openTask(id);
  await panel.setStatus(status);
  await panel.field('problems').fill(problems);
  await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
}

/** 报送 on the rounds screen, saved (through the save dialog) as `file`. */
export async function submitRound(app: AppSession, file: string) {
  await nav(app.page, '填报轮次');
  app.harness.dialogQueue.push(file);
  await app.page.getByRole('button', { name: /^报\s*送$/ }).click();
  await app.page.getByText(/已报送/).first().waitFor();
}

/** Records a decision on a task in the open review panel. */
export async function decide(page: Page, taskId: string, decision: string, comment = '') {
  const panel = page.locator('.review-panel');
  await panel.getByLabel(`${taskId} 的审核意见`).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: decision }).click();
  // The list closes (animated) before the next one opens: one list visible at a time.
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  if (comment) await panel.getByLabel(`${taskId} 的说明`).fill(comment);
  await panel.locator('tr', { hasText: taskId }).getByRole('button', { name: /记\s*录|修\s*改/ }).click();
  await page.getByText('已记录审核意见').first().waitFor();
}

