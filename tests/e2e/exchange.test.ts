/**
 * The exchange folder (交换文件夹) end to end, headless Chromium through three harnesses (not
 * Electron) that share one folder as offices share a network drive: 玄武区 writes its 报送 there,
 * 秦淮区 too; the supervisor collects both (one preview, as files chosen in a dialog), returns a
 * task of 玄武区 and writes the review file there; 玄武区 collects the review meant for it and sees
 * the task returned, 秦淮区 finds nothing for itself.
 * What was taken is not offered again, and a second 报送 does not replace the first file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenshotPath, type AppSession } from './support/app';
import { Workbench } from './support/pages';
import { annotate, closePeople, decide, importFile, nav, person, publishRound } from './support/people';

afterEach(closePeople);

/** Chooses the exchange folder on the rounds screen (the folder dialog answers `dir`). */
async function chooseFolder(app: AppSession, dir: string) {
  await nav(app.page, '填报轮次');
  app.harness.dialogQueue.push(dir);
  await app.page.getByRole('button', { name: /选择交换文件夹/ }).click();
  await expect.poll(() => app.page.locator('.exchange-folder-path').innerText()).toBe(dir);
}

describe('exchange folder', () => {
  it('报送 written to the shared folder, collected by the supervisor, the review written back and collected by the district', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rounds-exchange-'));
    const shared = mkdtempSync(join(tmpdir(), 'exchange-'));
    const files = () => readdirSync(shared).filter((f) => f.endsWith('.pilotbundle')).sort();
    const sup = await person('王督办', '市级部门', true);
    const xw = await person('张三', '玄武区');
    const qh = await person('李四', '秦淮区');

    const notice = await publishRound(sup, '2026年12月月报', join(dir, 'round.pilotbundle'));
    for (const d of [xw, qh]) await importFile(d, notice);

    // Without a folder the button says what to do first; then both offices choose the shared one.
    await nav(xw.page, '填报轮次');
    expect(await xw.page.getByRole('button', { name: /报送到交换文件夹/ }).isDisabled()).toBe(true);
    for (const office of [xw, qh, sup]) await chooseFolder(office, shared);

    await annotate(xw, 'T1-01', '进度滞后', '细则未出台');
    await nav(xw.page, '填报轮次');
    await xw.page.getByRole('button', { name: /报送到交换文件夹/ }).click();
    await xw.page.getByText(/报送文件已写入交换文件夹/).first().waitFor();
    expect(files()).toHaveLength(1);
    await xw.page.screenshot({ path: screenshotPath('rounds-exchange.png'), fullPage: true });
    await annotate(qh, 'T1-02', '序时推进', '');
    await nav(qh.page, '填报轮次');
    await qh.page.getByRole('button', { name: /报送到交换文件夹/ }).click();
    await qh.page.getByText(/报送文件已写入交换文件夹/).first().waitFor();
    expect(files()).toHaveLength(2);

    // The supervisor collects both in one preview; imported, both units have reported.
    await nav(sup.page, '填报轮次');
    await sup.page.getByRole('button', { name: /^从交换文件夹收取$/ }).click();
    const preview = sup.page.locator('.submission-preview');
    await preview.waitFor();
    for (const unit of ['玄武区', '秦淮区']) expect(await preview.locator('tr', { hasText: unit }).innerText()).toContain('可以导入');
    await preview.getByRole('button', { name: /导入 2 个报送文件/ }).click();
    await sup.page.getByText('已导入 2 个报送文件').first().waitFor();
    const statusRow = sup.page.locator('.ant-table-row', { hasText: '玄武区' }).first();
    await expect.poll(() => statusRow.innerText()).toContain('按时报送');
    // Taken once, not offered again.
    await sup.page.getByRole('button', { name: /^从交换文件夹收取$/ }).click();
    await sup.page.getByText('交换文件夹中没有新的文件').first().waitFor();

    // The review: T1-01 returned, the review file written to the folder beside the 报送.
    await statusRow.getByRole('button', { name: /审\s*核/ }).click();
    await sup.page.locator('.review-panel').waitFor();
    await decide(sup.page, 'T1-01', '退回补充', '请补充细则起草进度的佐证材料');
    await sup.page.locator('.review-panel').getByRole('button', { name: /写入交换文件夹/ }).click();
    await sup.page.getByText(/已写入交换文件夹/).first().waitFor();
    expect(files()).toHaveLength(3);

    // 玄武区 collects its review (its own 报送 in the folder is not listed) and sees T1-01 returned.
    await nav(xw.page, '填报轮次');
    await xw.page.getByRole('button', { name: /从交换文件夹收取审核意见/ }).click();
    const reviews = xw.page.locator('.submission-preview');
    await reviews.waitFor();
    expect(await reviews.locator('.ant-table-row').count()).toBe(1);
    await reviews.getByRole('button', { name: /导入 1 个审核文件/ }).click();
    await xw.page.getByText('已导入 1 个审核文件').first().waitFor();
    await nav(xw.page, '任务');
    await new Workbench(xw.page).openTask('T1-01');
    await expect.poll(() => xw.page.locator('.task-review-note').getAttribute('data-decision')).toBe('return');

    // 秦淮区 finds nothing for itself: the review is 玄武区's, 玄武区's 报送 is no review file (its own
    // 报送 is already here), and says that two files were left out.
    await nav(qh.page, '填报轮次');
    await qh.page.getByRole('button', { name: /从交换文件夹收取审核意见/ }).click();
    await qh.page.getByText('交换文件夹中没有新的文件').first().waitFor();
    expect(await qh.page.locator('.submission-preview').count()).toBe(0);
    expect(await qh.page.locator('.exchange-note').innerText()).toContain('另有 2 个其他类型或发给其他单位的文件');

    // A second 报送 is a new file: the first one is still there, unchanged in name.
    const before = files();
    await annotate(xw, 'T1-01', '序时推进', '细则已完成征求意见');
    await nav(xw.page, '填报轮次');
    await xw.page.getByRole('button', { name: /报送到交换文件夹/ }).click();
    await xw.page.getByText(/报送文件已写入交换文件夹/).first().waitFor();
    const after = files();
    expect(after).toHaveLength(4);
    for (const f of before) expect(after).toContain(f);
    expect(sup.errors).toEqual([]);
    expect(xw.errors).toEqual([]);
    expect(qh.errors).toEqual([]);
  });
});
