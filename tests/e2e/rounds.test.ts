/**
 * The supervisor's loop end to end (headless Chromium through the harness, three people in three
 * profiles): the supervisor defines a round and sends it; two districts submit (秦淮区 after the due
 * day, Beijing time); the supervisor imports both, sees 报送情况, returns a task with a comment; the
 * district imports the review, sees the badge in its task tree and the comment on the task, fixes
 * it and submits again with a 延期申请 (the badge goes); the supervisor accepts it, 销号s another
 * task and approves the extension, which the district then sees on its task with who approved it;
 * the supervisor's dashboard counts accepted / returned per unit and a report built from accepted
 * data says so in its 说明.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { circularTitle } from '../../src-main/shared/report/circular';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chinaToday } from '../../src-main/shared/time';
import { type AppSession, screenshotPath } from './support/app';
import { Workbench } from './support/pages';
import { annotate, closePeople, decide, importFile, nav, person, publishRound, submitRound } from './support/people';

afterEach(closePeople);

/** 导入报送文件: several files in one dialog, one preview, then import. */
async function importSubmissions(app: AppSession, files: string[], units: string[]) {
  app.harness.dialogQueue.push(files);
  await app.page.getByRole('button', { name: /导入报送文件/ }).click();
  const preview = app.page.locator('.submission-preview');
  await preview.waitFor();
  for (const u of units) expect(await preview.locator('tr', { hasText: u }).innerText()).toContain('可以导入');
  if (units.length > 1) {
    await preview.scrollIntoViewIfNeeded();
    await app.page.screenshot({ path: screenshotPath('rounds-import-many.png') });
  }
  await preview.getByRole('button', { name: new RegExp(`导入 ${files.length} 个报送文件`) }).click();
  await app.page.getByText(`已导入 ${files.length} 个报送文件`).first().waitFor();
}

describe('rounds, 报送 and 审核 between three people', () => {
  it('define → both submit (one late) → 报送情况 → return with a comment → fix and resubmit → accept and 销号', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rounds-'));
    const sup = await person('王督办', '市级部门', true);
    const xw = await person('张三', '玄武区');
    const qh = await person('李四', '秦淮区');

    // The supervisor defines the round, due today (Beijing time), and sends it in a bundle.
    const notice = await publishRound(sup, '2026年11月月报', join(dir, 'round.pilotbundle'));

    for (const d of [xw, qh]) await importFile(d, notice);
    await annotate(xw, 'T1-01', '进度滞后', '细则未出台');
    await annotate(qh, 'T1-02', '序时推进', '');

    // 玄武区 sees its checklist (not updated first) and submits on time.
    await nav(xw.page, '填报轮次');
    await xw.page.getByText('2026年11月月报').first().waitFor();
    await xw.page.locator('.ant-table-row', { hasText: '未更新' }).first().waitFor();
    await xw.page.screenshot({ path: screenshotPath('rounds-checklist.png') });
    const xw1 = join(dir, 'xw-1.pilotbundle');
    await submitRound(xw, xw1);
    await xw.page.locator('.round-receipt').first().waitFor();
    expect(await xw.page.locator('.round-receipt').first().innerText()).toContain('张三 报送，更新任务 1 项');

    // 秦淮区 submits five minutes into the next day, Beijing time: late.
    const [y, m, d] = chinaToday().split('-').map(Number);
    await qh.page.clock.setFixedTime(new Date(Date.UTC(y!, m! - 1, d! + 1, 0, 5) - 8 * 3_600_000));
    const qh1 = join(dir, 'qh-1.pilotbundle');
    await submitRound(qh, qh1);

    // The supervisor imports both at once (one open dialog, one preview) and sees 报送情况.
    await nav(sup.page, '填报轮次');
    await importSubmissions(sup, [xw1, qh1], ['玄武区', '秦淮区']);
    const statusRow = (unit: string) => sup.page.locator('.ant-table-row', { hasText: unit }).first();
    await expect.poll(() => statusRow('玄武区').innerText()).toContain('按时报送');
    expect(await statusRow('秦淮区').innerText()).toContain('逾期报送');
    expect(await statusRow('鼓楼区').innerText()).toContain('未报送');
    expect(await sup.page.locator('.round-urge-text').innerText()).toContain('以下单位尚未报送：');
    expect(await sup.page.locator('.round-urge-text').innerText()).not.toContain('玄武区');
    await sup.page.screenshot({ path: screenshotPath('rounds-status.png'), fullPage: true });

    // Review of 玄武区: T1-01 returned with a comment; the review file is issued.
    await statusRow('玄武区').getByRole('button', { name: /审\s*核/ }).click();
    await sup.page.locator('.review-panel').waitFor();
    await decide(sup.page, 'T1-01', '退回补充', '请补充细则起草进度的佐证材料');
    const rv1 = join(dir, 'review-1.pilotbundle');
    sup.harness.dialogQueue.push(rv1);
    await sup.page.getByRole('button', { name: /生成审核文件（1 条）/ }).click();
    await sup.page.getByText(/已生成审核文件/).first().waitFor();
    await sup.page.locator('.review-panel').scrollIntoViewIfNeeded();
    await sup.page.screenshot({ path: screenshotPath('review.png'), fullPage: true });

    // 玄武区 imports the review: the task carries the badge and the comment.
    await importFile(xw, rv1);
    await nav(xw.page, '任务');
    await new Workbench(xw.page).openTask('T1-01');
    const note = xw.page.locator('.task-review-note');
    await note.waitFor();
    expect(await note.getAttribute('data-decision')).toBe('return');
    expect(await note.innerText()).toContain('请补充细则起草进度的佐证材料');
    expect(await note.innerText()).toContain('王督办');
    // The task tree marks it too, with the comment as its tooltip.
    const badge = xw.page.locator('.task-leaf[data-task-id="T1-01"] .task-returned');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toBe('请补充细则起草进度的佐证材料');
    await xw.page.screenshot({ path: screenshotPath('returned-task.png') });

    // It fixes T1-01, finishes T1-03 and submits again; the supervisor accepts T1-01 and 销号s T1-03.
    await annotate(xw, 'T1-01', '序时推进', '细则已完成征求意见，佐证材料已上传');
    await annotate(xw, 'T1-03', '已完成', '');
    // With this 报送, 玄武区 asks to move T1-02's deadline (none set yet) to 2027-06-30.
    await nav(xw.page, '填报轮次');
    await xw.page.locator('.ant-table-row', { hasText: 'T1-02' }).getByRole('button', { name: /申请延期/ }).click();
    await xw.page.locator('#extension-to').fill('2027-06-30');
    await xw.page.getByLabel('延期理由').fill('用地审批尚未完成');
    await xw.page.getByRole('button', { name: /加入本次报送/ }).click();
    await xw.page.locator('.extension-request', { hasText: 'T1-02' }).waitFor();
    await xw.page.screenshot({ path: screenshotPath('rounds-extension-request.png'), fullPage: true });
    const xw2 = join(dir, 'xw-2.pilotbundle');
    await submitRound(xw, xw2);
    await nav(xw.page, '任务');
    await expect.poll(() => xw.page.locator('.task-leaf[data-task-id="T1-01"] .task-returned').count()).toBe(0);
    await nav(sup.page, '填报轮次');
    await importSubmissions(sup, [xw2], ['玄武区']);
    await expect.poll(() => statusRow('玄武区').innerText()).toContain('共 2 次');
    await statusRow('玄武区').getByRole('button', { name: /审\s*核/ }).click();
    await decide(sup.page, 'T1-01', '通过');
    await decide(sup.page, 'T1-03', '销号');
    const ext = sup.page.locator('.review-extensions');
    expect(await ext.locator('tr', { hasText: 'T1-02' }).innerText()).toContain('2027年6月30日，理由：用地审批尚未完成');
    await ext.getByLabel('T1-02 的延期审核').click();
    await sup.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '批准延期' }).click();
    await ext.locator('tr', { hasText: 'T1-02' }).getByRole('button', { name: /记\s*录/ }).click();
    await sup.page.getByText('已记录审核意见').first().waitFor();
    await sup.page.locator('.review-panel').scrollIntoViewIfNeeded();
    await sup.page.screenshot({ path: screenshotPath('review-extension.png'), fullPage: true });
    const rv2 = join(dir, 'review-2.pilotbundle');
    sup.harness.dialogQueue.push(rv2);
    await sup.page.getByRole('button', { name: /生成审核文件（3 条）/ }).click();
    await sup.page.getByText(/已生成审核文件/).first().waitFor();

    // The round's 情况通报 from the rounds screen: 版头 with a 发文字号 typed with square brackets, saved as Word.
    await sup.page.getByRole('button', { name: /生成情况通报/ }).click();
    const circularForm = sup.page.locator('.circular-form');
    await circularForm.locator('label', { hasText: '版头' }).locator('.ant-switch').click();
    await sup.page.locator('#circular-docnumber').fill('宁试点办[2026]5号');
    await sup.page.locator('#circular-copyto').fill('市商务局');
    await circularForm.scrollIntoViewIfNeeded();
    await sup.page.screenshot({ path: screenshotPath('rounds-circular.png') });
    const circular = join(dir, 'circular.docx');
    sup.harness.dialogQueue.push(circular);
    await circularForm.getByRole('button', { name: /导出 Word/ }).click();
    await sup.page.getByText(/情况通报已保存/).first().waitFor();
    const circularText = strFromU8(unzipSync(new Uint8Array(readFileSync(circular)))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(circularText).toContain(circularTitle('2026年11月月报'));
    expect(circularText).toContain('宁试点办〔2026〕5号');
    expect(circularText).toMatch(/按时报送的单位：玄武区/);
    expect(circularText).toMatch(/逾期报送的单位：秦淮区/);
    expect(circularText).toContain('T1-03'); // 销号 in this round
    expect(circularText).toContain('抄送：市商务局');

    // The dashboard counts per unit for the open round; a report from accepted data says so.
    await nav(sup.page, '数据看板');
    const line = sup.page.locator('.dash-round-review .ant-table-row', { hasText: '玄武区' });
    await line.waitFor();
    expect((await line.innerText()).split(/\s+/)).toEqual(['玄武区', '按时报送', '2', '0', '0']);
    await sup.page.locator('.dash-round-review').scrollIntoViewIfNeeded();
    await sup.page.screenshot({ path: screenshotPath('dashboard-round-review.png') });
    await nav(sup.page, '报告');
    const provenance = sup.page.locator('.report-provenance');
    await provenance.waitFor();
    expect(await provenance.innerText()).not.toContain('仅计入经市级督办审核通过');
    await sup.page.getByText('仅用审核通过的数据').click();
    await expect.poll(() => provenance.innerText()).toContain('仅计入经市级督办审核通过（含销号）的数据');

    await importFile(xw, rv2);
    await nav(xw.page, '任务');
    await new Workbench(xw.page).openTask('T1-03');
    await expect.poll(() => xw.page.locator('.task-review-note').getAttribute('data-decision')).toBe('close');
    // The approved extension on T1-02: old → new, who approved it, in which round.
    await new Workbench(xw.page).openTask('T1-02');
    const extended = xw.page.locator('.task-extension-note');
    await extended.waitFor();
    expect(await extended.innerText()).toMatch(/完成时限经批准延期：原定 未定完成时限，延至 2027年6月30日（王督办，.*2026年11月月报）/);
    await new Workbench(xw.page).openTask('T1-01');
    await expect.poll(() => xw.page.locator('.task-review-note').getAttribute('data-decision')).toBe('pass');
    // The history of T1-01 shows the whole exchange: two submissions, the return, the acceptance.
    await xw.page.locator('.task-review-history summary').click();
    const history = await xw.page.locator('.task-review-history').innerText();
    expect(history).toContain('退回补充：请补充细则起草进度的佐证材料');
    expect(history.match(/报送/g)?.length).toBeGreaterThanOrEqual(2);
    expect(history).toContain('通过');

    // Replaying the first review is refused with nothing written.
    await nav(xw.page, '批注包');
    xw.harness.dialogQueue.push(rv1);
    await xw.page.getByRole('button', { name: /选择批注包/ }).click();
    await xw.page.getByText(/这份审核文件已经导入过|这个批注包已于/).first().waitFor();
  });
});
