/**
 * What a district official sees, end to end in headless Chromium (not Electron) through the harness:
 * the dashboard opens on the official's own unit and counts a task nobody has filled in as 未启动
 * (unlit), never 绿灯; the task header stays at the top of the right pane and opening another task
 * starts at its top; 完成时限 takes 2025/6/30 as typed or a day picked from its calendar, stores the
 * ISO date, shows 2025年6月30日 and warns (still saving) when the deadline has passed on a task not
 * done; history times are Beijing time with the zone named; period dates read 年月日.
 * One browser session; the expected counts are the corpus's 104 tasks, not the app's aggregation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';
import { beijingClock, chinaToday, cnDate } from '../../src-main/shared/time';

let app: AppSession;
let page: Page;
let wb: Workbench;
let panel: AnnotationPanel;
const TASKS = 104;

async function nav(label: string) {
  await page.locator('.app-header .ant-segmented-item', { hasText: label }).click();
}

/** The number on one of the dashboard's count cards (红灯, 绿灯, 未亮灯). */
async function lightCount(light: 'red' | 'green' | 'none'): Promise<number> {
  const text = await page.locator(`[data-light="${light}"] .ant-statistic-content-value`).innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

/** The stored annotation of 玄武区 on a task, read from the page's own database. */
async function storedDeadline(taskId: string): Promise<string | null | undefined> {
  return page.evaluate(
    (key) =>
      new Promise<string | null | undefined>((resolve, reject) => {
        const open = indexedDB.open('pilot-desk');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('annotations').objectStore('annotations').get(key);
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { deadline?: string | null } | undefined)?.deadline);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    `${taskId}|320102`,
  );
}

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1440, height: 900 } });
  page = app.page;
  await new ProfileDialog(page).complete('张三', '玄武区');
  wb = new Workbench(page);
  await wb.waitReady();
  panel = new AnnotationPanel(page);
});

afterAll(async () => {
  await app?.close();
});

describe('views a district official relies on', () => {
  it('the dashboard opens on the official\'s own unit, and tasks never filled in are unlit, not green', async () => {
    await nav('数据看板');
    await page.getByTestId('dashboard').waitFor();
    await expect.poll(() => page.locator('.dash-title').innerText()).toBe('数据看板 · 玄武区');
    expect(await page.locator('.ant-select:has(#dash-unit)').innerText()).toContain('玄武区');
    // Nothing is annotated yet: 104 tasks of one unit, none green, none red, all unlit.
    expect(await lightCount('green')).toBe(0);
    expect(await lightCount('red')).toBe(0);
    expect(await lightCount('none')).toBe(TASKS);
    // The status-by-unit chart is the city view's: one unit has none.
    expect(await page.locator('[data-chart="dash-status-by-unit"]').count()).toBe(0);
  });

  it('keeps the task header at the top of the pane, and another task opens at its top', async () => {
    await nav('任务');
    const pane = page.locator('.app-content');
    await wb.openTask('T1-01');
    await panel.root.locator('#field-deadline').waitFor();
    const paneBox = (await pane.boundingBox())!;
    await page.mouse.move(paneBox.x + paneBox.width / 2, paneBox.y + paneBox.height / 2);
    await page.mouse.wheel(0, 900);
    await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(300);
    // Scrolled down, the header still names the task, at the top of the pane.
    const head = page.locator('article[data-task-id="T1-01"] [data-testid="task-head"]');
    await expect.poll(async () => Math.abs((await head.boundingBox())!.y - paneBox.y)).toBeLessThanOrEqual(1);
    expect(await head.innerText()).toContain('T1-01');
    await page.screenshot({ path: screenshotPath('task-head-scrolled.png') });

    await wb.openTask('T1-02');
    await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBe(0);
    const head2 = page.locator('article[data-task-id="T1-02"] [data-testid="task-head"]');
    expect(Math.abs((await head2.boundingBox())!.y - paneBox.y)).toBeLessThanOrEqual(1);
    expect(await head2.innerText()).toContain('T1-02');
  });

  it('完成时限 takes 2025/6/30 as typed, stores 2025-06-30, shows 2025年6月30日 and warns on a past deadline that is not done', async () => {
    await wb.openTask('T1-01');
    await panel.setStatus('序时推进');
    await panel.waitSaved();
    // Leaving the task ends the working session: the deadline is a revision of its own.
    await wb.openTask('T1-02');
    await wb.openTask('T1-01');
    const before = Date.now();
    const field = panel.field('deadline');
    await field.click();
    await page.keyboard.type('2025/6/30');
    // The deadline has passed (Beijing today is later) and 序时推进 is not done: a warning, not an error.
    const warning = panel.root.getByTestId('deadline-warning');
    await expect.poll(() => warning.innerText()).toContain('2025年6月30日');
    expect(await warning.innerText()).toContain(`今天是 ${cnDate(chinaToday())}`);
    await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
    expect(await panel.root.locator('.ant-form-item-explain-error').count()).toBe(0);
    await expect.poll(() => storedDeadline('T1-01')).toBe('2025-06-30');
    await panel.root.locator('#field-deadline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('deadline-warning.png') });
    await panel.field('progress').click();
    expect(await field.inputValue()).toBe('2025年6月30日');
    const after = Date.now();

    // History: the new value as a date, the time in Beijing time with the zone named.
    await wb.openTask('T1-02');
    await wb.openTask('T1-01');
    await panel.tab('修改历史');
    const rows = panel.root.locator('.history-table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const shown = await rows.first().innerText();
    const clocks = [beijingClock(before), beijingClock(after)].map((c) => `${cnDate(chinaToday())} ${c}（北京时间）`);
    expect(clocks.some((c) => shown.includes(c)), `${shown} has one of ${clocks.join(' / ')}`).toBe(true);
    expect(await panel.root.locator('.history-diff tbody tr', { hasText: '完成时限' }).innerText()).toContain('2025年6月30日');

    // Done, the same deadline is no longer a warning.
    await panel.tab('批注');
    await panel.setStatus('已完成');
    await expect.poll(() => panel.root.getByTestId('deadline-warning').count()).toBe(0);
    await panel.waitSaved();
  });

  it('the calendar picks a day, and a day that does not exist is refused and not stored', async () => {
    await wb.openTask('T1-03');
    await panel.tab('批注');
    await panel.setStatus('序时推进');
    await panel.waitSaved();
    // Two years ahead: green whenever this runs.
    const y = Number(chinaToday().slice(0, 4)) + 2;
    await panel.field('deadline').fill(`${y}年3月1日`);
    await expect.poll(() => storedDeadline('T1-03')).toBe(`${y}-03-01`);
    await panel.root.getByRole('button', { name: '选择日期' }).click();
    const picker = page.getByTestId('date-picker');
    await picker.waitFor();
    await page.screenshot({ path: screenshotPath('deadline-picker.png') });
    // The calendar opens on the field's month (March): pick the 15th.
    await picker.locator(`td[title="${y}-03-15"]`).click();
    await expect.poll(() => storedDeadline('T1-03')).toBe(`${y}-03-15`);
    await expect.poll(() => panel.field('deadline').inputValue()).toBe(`${y}年3月15日`);
    await expect.poll(() => picker.count()).toBe(0);

    await panel.field('deadline').fill(`${y}/2/30`);
    await expect.poll(() => panel.fieldError('完成时限').innerText()).toContain('有效日期');
    expect(await panel.saveState.getAttribute('data-save-state')).toBe('invalid');
    expect(await storedDeadline('T1-03')).toBe(`${y}-03-15`);
    await panel.field('deadline').fill(`${y}-03-15`);
    await panel.waitSaved();
  });

  it('counts what was filled in: one red (overdue), one green (done), the rest unlit', async () => {
    // T1-02: 进度滞后 (red); T1-01: 已完成 (green); T1-03: 序时推进, due in two years (green).
    await wb.openTask('T1-02');
    await panel.setStatus('进度滞后');
    await panel.waitSaved();
    await nav('数据看板');
    await page.getByTestId('dashboard').waitFor();
    await expect.poll(() => lightCount('red')).toBe(1);
    expect(await lightCount('green')).toBe(2);
    expect(await lightCount('none')).toBe(TASKS - 3);
  });

  it('period dates are typed or shown as 年月日, never as the machine\'s mm/dd/yyyy', async () => {
    await nav('评估期与快照');
    await page.getByRole('button', { name: '新建评估期' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('名称').fill('2024年度');
    const start = form.getByLabel('开始日期');
    expect(await start.getAttribute('type')).not.toBe('date');
    await start.click();
    await page.keyboard.type('2024/1/1');
    await form.getByLabel('结束日期').click();
    await page.keyboard.type('2024年12月31日');
    await form.getByLabel('名称').click();
    expect(await start.inputValue()).toBe('2024年1月1日');
    expect(await form.getByLabel('结束日期').inputValue()).toBe('2024年12月31日');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.periods-table tbody tr', { hasText: '2024年度' }).innerText()).toContain('2024年1月1日 — 2024年12月31日');
    expect(app.errors).toEqual([]);
  });
});
