/**
 * Supervisors' work end to end (headless Chromium through the harness, two people in two
 * profiles): export through the save dialog, import through the open dialog, preview, apply,
 * re-import changes nothing, conflict review with one decision per field, undo, the matrix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppSession, screenshotPath } from './support/app';
import { AnnotationPanel } from './support/pages';
import { annotate, closePeople, nav, person } from './support/people';

afterEach(closePeople);

async function exportAll(app: AppSession, file: string) {
  await nav(app.page, '批注包');
  app.harness.dialogQueue.push(file);
  await app.page.getByRole('button', { name: /导出批注包/ }).click();
  await app.page.getByText(/已导出/).first().waitFor();
}

async function importFile(app: AppSession, file: string) {
  await nav(app.page, '批注包');
  app.harness.dialogQueue.push(file);
  await app.page.getByRole('button', { name: /选择批注包/ }).click();
}

describe('bundles between two people', () => {
  it('exports, previews, imports, ignores a repeat, resolves a conflict field by field, and undoes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    const a = await person('张三', '玄武区');
    const b = await person('王督办', '市级部门', true);

    // A annotates two tasks and exports everything.
    await annotate(a, 'T1-01', '进度滞后', '成果转化收益分配细则未出台');
    await annotate(a, 'T1-02', '序时推进', '');
    const first = join(dir, 'xuanwu-1.pilotbundle');
    await exportAll(a, first);

    // B previews: 玄武区 has 2 new annotations; applies.
    await importFile(b, first);
    const preview = b.page.locator('.import-preview');
    await preview.waitFor();
    const row = preview.locator('.import-counts tbody tr', { hasText: '玄武区' });
    expect(await row.locator('td').allInnerTexts()).toEqual(['玄武区', '2', '0', '0', '0']);
    await preview.getByRole('button', { name: /应用导入/ }).click();
    await b.page.getByText(/导入完成/).first().waitFor();
    // The toast sits below the header and takes no clicks: the navigation stays usable while it shows
    // (a toast under the pointer pauses itself, so one over the navigation blocked it).
    const toast = b.page.locator('.ant-message-notice', { hasText: '导入完成' }).first();
    expect(await toast.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
    const header = (await b.page.locator('.app-header').boundingBox())!;
    // (polled: the toast slides in from above)
    await expect.poll(async () => (await toast.boundingBox())?.y ?? 0).toBeGreaterThanOrEqual(header.y + header.height);

    // The matrix shows A's statuses in 玄武区's column.
    await nav(b.page, '全市总览');
    await b.page.locator('[data-cell="T1-01|320102"][data-status="delayed"]').waitFor();
    await b.page.locator('[data-cell="T1-02|320102"][data-status="on_track"]').waitFor();
    await b.page.screenshot({ path: screenshotPath('matrix.png') });

    // The same bundle again: nothing to import.
    await importFile(b, first);
    await b.page.getByText('批注包中的内容本机都已有，无需导入。').waitFor();
    // Recognised as the file imported before (by its sha-256): answered at once, not verified again.
    await b.page.getByText(/这个批注包已于 .+ 导入过（xuanwu-1\.pilotbundle）/).waitFor();
    await b.page.screenshot({ path: join(dir, 'already-imported.png') });
    expect(await b.page.getByRole('button', { name: /应用导入/ }).isDisabled()).toBe(true);
    await b.page.getByRole('button', { name: /放\s*弃/ }).click();

    // Both edit 存在问题 of T1-01 differently; B also changes the status (no overlap with A).
    await nav(b.page, '全市总览');
    await b.page.locator('[data-cell="T1-01|320102"]').click();
    const panelB = new AnnotationPanel(b.page);
    await panelB.field('problems').fill('市级核查：细则已报送待审');
    await expect.poll(() => panelB.saveState.getAttribute('data-save-state')).toBe('saved');
    await annotate(a, 'T1-01', '进度滞后', '细则征求意见中，预计三季度出台');
    const second = join(dir, 'xuanwu-2.pilotbundle');
    await exportAll(a, second);

    await importFile(b, second);
    await preview.waitFor();
    const conflict = b.page.locator('.conflict-row', { hasText: '存在问题' });
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('市级核查：细则已报送待审');
    expect(await conflict.innerText()).toContain('细则征求意见中，预计三季度出台');
    // No decision yet: cannot apply.
    expect(await preview.getByRole('button', { name: /应用导入/ }).isDisabled()).toBe(true);
    await conflict.getByText('采用对方').click();
    await preview.getByRole('button', { name: /应用导入/ }).click();
    await b.page.getByText(/导入完成/).first().waitFor();
    await b.page.screenshot({ path: screenshotPath('bundles.png') });

    // B's view of T1-01 in 玄武区 now has A's text, and the history has a merge with both sides.
    await nav(b.page, '全市总览');
    await b.page.locator('[data-cell="T1-01|320102"]').click();
    await expect.poll(() => panelB.field('problems').inputValue()).toBe('细则征求意见中，预计三季度出台');
    await panelB.tab('修改历史');
    await expect.poll(() => panelB.root.locator('.history-table tbody tr').first().innerText()).toContain('合并');

    // Undo the last import: B's own text is back.
    await nav(b.page, '批注包');
    await b.page.locator('.import-history tbody tr').first().getByRole('button', { name: /撤销这次导入/ }).click();
    await b.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await b.page.getByText(/已于 .* 撤销/).first().waitFor();
    await nav(b.page, '全市总览');
    await b.page.locator('[data-cell="T1-01|320102"]').click();
    await expect.poll(() => panelB.field('problems').inputValue()).toBe('市级核查：细则已报送待审');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
