/**
 * Evaluation periods end to end (headless Chromium through the harness, two profiles): annotate,
 * define 2024年度, freeze a snapshot, change exactly three statuses, and "what changed" against
 * 当前 lists exactly those three status moves (plus the one case flagged since); a row opens its
 * task. Then export → import into a fresh profile: the snapshot is there and compares the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function person(name: string, unit: string): Promise<AppSession> {
  const app = await startApp();
  sessions.push(app);
  await new ProfileDialog(app.page).complete(name, unit);
  await new Workbench(app.page).waitReady();
  return app;
}

const nav = (page: Page, label: string) => page.locator('.app-header .ant-segmented-item', { hasText: label }).click();

async function setStatus(app: AppSession, id: string, status: string, innovation = false) {
  await nav(app.page, '任务');
  const panel = new AnnotationPanel(app.page);
  await new Workbench(app.page).openTask(id);
  await panel.setStatus(status);
  if (innovation) await panel.root.getByText('制度创新成果', { exact: true }).click();
  await expect.poll(() => panel.saveState.getAttribute('data-save-state')).toBe('saved');
}

/** Rows of one section of the comparison, as "T1-01 序时推进→已完成" (status moves) or task ids. */
async function sectionRows(page: Page, kind: string): Promise<string[]> {
  const rows = page.locator(`.periods-changes-section[data-kind="${kind}"] tbody tr.periods-change-row`);
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      const badges = [...tr.querySelectorAll('[data-status]')].map((b) => b.textContent?.trim());
      return badges.length === 2 ? `${cells[0]} ${badges[0]}→${badges[1]}` : cells[0]!;
    }),
  );
}

async function compareWithCurrent(page: Page) {
  await nav(page, '评估期与快照');
  await page.locator('.snapshots-table tbody tr').first().getByRole('button', { name: '与当前比较' }).click();
  await page.locator('.periods-changes').waitFor();
}

const THREE = ['T1-01 序时推进→已完成', 'T1-02 序时推进→进度滞后', 'T1-03 序时推进→基本完成'];

describe('evaluation periods and snapshots', () => {
  it('freeze, change three statuses, see exactly those three; the snapshot survives export → import', { timeout: 540_000 }, async () => {
    const a = await person('张三', '玄武区');
    for (const id of ['T1-01', 'T1-02', 'T1-03', 'T1-04', 'T1-05']) await setStatus(a, id, '序时推进');

    // A period and a snapshot of it.
    await nav(a.page, '评估期与快照');
    await a.page.getByRole('button', { name: '新建评估期' }).click();
    const form = a.page.getByRole('dialog');
    await form.getByLabel('名称').fill('2024年度');
    await form.getByLabel('开始日期').fill('2024-01-01');
    await form.getByLabel('结束日期').fill('2024-12-31');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'detached' });
    await a.page.locator('.periods-table tbody tr', { hasText: '2024年度' }).getByRole('button', { name: '冻结快照' }).click();
    const confirm = a.page.getByRole('dialog');
    await expect.poll(() => confirm.innerText()).toContain('快照一经冻结不能修改');
    await confirm.getByRole('button', { name: /冻结快照/ }).click();
    // The snapshot's row, not the 「已冻结快照（5 条批注）」 toast, which is gone after 3 s (on a loaded CI
    // machine it once was before the check looked).
    const snapRow = a.page.locator('.snapshots-table tbody tr.ant-table-row').first();
    await snapRow.waitFor({ timeout: 60_000 });
    expect(await a.page.locator('.snapshots-table tbody tr.ant-table-row').count()).toBe(1);
    expect((await snapRow.locator('td').allInnerTexts())[3]).toBe('5');

    // Exactly three statuses change; a fourth task is flagged as 制度创新成果 (status unchanged).
    await setStatus(a, 'T1-01', '已完成');
    await setStatus(a, 'T1-02', '进度滞后');
    await setStatus(a, 'T1-03', '基本完成');
    await setStatus(a, 'T1-04', '序时推进', true);

    await compareWithCurrent(a.page);
    expect(await sectionRows(a.page, 'statusMoves')).toEqual(THREE);
    expect(await sectionRows(a.page, 'newCases')).toEqual(['T1-04']);
    expect(await sectionRows(a.page, 'newlyAnnotated')).toEqual([]);
    await a.page.screenshot({ path: screenshotPath('compare.png') });

    // A row opens its task.
    await a.page.locator('.periods-changes-section[data-kind="statusMoves"] tbody tr', { hasText: 'T1-02' }).click();
    await a.page.locator('article[data-task-id="T1-02"]').waitFor();

    // The district report can include 本期变化情况 against the snapshot.
    const dir = mkdtempSync(join(tmpdir(), 'periods-'));
    await nav(a.page, '报告');
    await a.page.locator('#report-compare').click();
    await a.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '2024年度' }).click();
    const docx = join(dir, '玄武区报告.docx');
    a.harness.dialogQueue.push(docx);
    // Main builds the report in the harness, in this test's own process: the click is acknowledged only after it.
    await a.page.getByRole('button', { name: /导出 Word 报告/ }).click({ timeout: 180_000 });
    await a.page.locator('.report-saved').waitFor({ timeout: 180_000 });
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml']!);
    expect(xml).toContain('本期变化情况');
    expect(xml).toContain('共有3项任务的完成状态发生变化');

    // Export everything; a colleague imports into a fresh profile.
    const file = join(dir, 'xuanwu.pilotbundle');
    await nav(a.page, '批注包');
    a.harness.dialogQueue.push(file);
    await a.page.getByRole('button', { name: /导出批注包/ }).click();
    await a.page.getByText(/已导出/).first().waitFor();

    const b = await person('李四', '玄武区');
    await nav(b.page, '批注包');
    b.harness.dialogQueue.push(file);
    await b.page.getByRole('button', { name: /选择批注包/ }).click();
    const preview = b.page.locator('.import-preview');
    await preview.waitFor();
    expect(await preview.locator('.import-snapshots').innerText()).toContain('快照：新增 1 份，本机已有 0 份');
    await preview.getByRole('button', { name: /应用导入/ }).click();
    await b.page.getByText(/导入完成/).first().waitFor();

    await compareWithCurrent(b.page);
    expect(await b.page.locator('.snapshots-table tbody tr').count()).toBe(1);
    expect(await b.page.locator('.snapshots-table tbody tr').first().innerText()).toContain('2024年度');
    expect(await sectionRows(b.page, 'statusMoves')).toEqual(THREE);
    expect(await sectionRows(b.page, 'newCases')).toEqual(['T1-04']);

    // Read-only view of the snapshot: what was frozen, with no way to edit it.
    await b.page.locator('.snapshots-table tbody tr').first().getByRole('button', { name: /查\s*看/ }).click();
    const view = b.page.getByRole('dialog');
    await view.getByText(/快照只读/).waitFor();
    expect(await view.locator('.snapshot-entries tbody tr').count()).toBe(5);
    expect(await view.locator('.snapshot-entries [data-status="on_track"]').count()).toBe(5);
    expect(await view.locator('input, textarea, [contenteditable="true"]').count()).toBe(0);
    expect(a.errors.concat(b.errors)).toEqual([]);
  });
});
