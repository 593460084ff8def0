/**
 * Finding work, end to end in headless Chromium: full-text search reaches annotation fields of the
 * current unit, filters combine, the keyboard moves through the list, a supervisor switches unit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppSession } from './support/app';
import { AnnotationPanel, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function annotate(wb: Workbench, panel: AnnotationPanel, id: string, status: string, extra?: { problems?: string; deadline?: string }) {
  await wb.openTask(id);
  await panel.setStatus(status);
  if (extra?.deadline) await panel.field('deadline').fill(extra.deadline);
  if (extra?.problems) await panel.field('problems').fill(extra.problems);
  await panel.waitSaved();
  await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
}

describe('finding work', () => {
  it('searches annotation text, combines filters, moves by keyboard and switches unit', async () => {
    app = await startApp();
    const page = app.page;
    // A supervisor may switch units.
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('王督办');
    await dialog.getByLabel('所在单位').click();
    // The option list is virtual: type to bring the unit into view.
    await page.keyboard.type('市级部门');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '市级部门' }).click();
    await dialog.getByText('市级督办').click();
    await dialog.getByRole('button', { name: /开始使用/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const wb = new Workbench(page);
    const panel = new AnnotationPanel(page);
    await wb.waitReady();

    await annotate(wb, panel, 'T1-05', '进度滞后', { problems: '开源基金募资遇到独角兽估值分歧' });
    await annotate(wb, panel, 'T1-20', '进度滞后');
    await annotate(wb, panel, 'T1-21', '序时推进', { deadline: '2023-01-31' }); // past deadline, not done: red
    await annotate(wb, panel, 'T2-01', '进度滞后');

    // A term only in one annotation's 存在问题 finds exactly that task, with the snippet shown.
    await wb.search('独角兽估值');
    await expect.poll(() => wb.visibleTaskIds()).toEqual(['T1-05']);
    expect(await wb.tree.locator('.task-hit').innerText()).toContain('存在问题');
    await wb.search('');

    // 表1 + 进度滞后 + 红灯.
    const bar = page.getByRole('group', { name: '筛选' });
    await bar.getByLabel('表', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '表1' }).click();
    await page.keyboard.press('Escape');
    await bar.getByLabel('完成状态').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '进度滞后' }).click();
    await page.keyboard.press('Escape');
    await bar.getByText('红灯').click();
    await expect.poll(() => wb.visibleTaskIds()).toEqual(['T1-05', 'T1-20']);
    // Without the status condition, the overdue 序时推进 task is red too.
    await bar.getByRole('button', { name: '清除筛选' }).click();
    await bar.getByText('红灯').click();
    await expect.poll(() => wb.visibleTaskIds()).toEqual(['T1-05', 'T1-20', 'T1-21', 'T2-01']);

    // j / k move through the list when no field has focus.
    await wb.openTask('T1-05');
    await page.locator('.task-view h4').click();
    await page.keyboard.press('j');
    await page.locator('article[data-task-id="T1-20"]').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.locator('article[data-task-id="T1-21"]').waitFor();
    await page.keyboard.press('k');
    await page.locator('article[data-task-id="T1-20"]').waitFor();

    // Another unit has none of this: its list shows no red light.
    await page.getByLabel('当前单位').click();
    await page.keyboard.type('鼓楼');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '鼓楼区' }).click();
    await expect.poll(() => wb.visibleTaskIds()).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
