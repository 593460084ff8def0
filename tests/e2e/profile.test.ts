/**
 * The profile after the first start, as a district official relies on it (headless Chromium through
 * the harness, not Electron): the first-start dialog says what each role may do; 设置 edits name,
 * unit and role, each save that changes them adds a line to the history (Beijing time, from → to);
 * the screens move to the new unit; unit names can be changed only once the profile is a supervisor's;
 * after a reload the profile and its history are still there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 900 } });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
});

async function chooseUnit(label: string, unit: string) {
  await page.getByLabel(label).click();
  await page.keyboard.type(unit);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unit }).first().click();
}

describe('profile and roles', () => {
  it('the first start explains both roles before one is chosen', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const roles = await dialog.locator('.role-option').allInnerTexts();
    expect(roles).toHaveLength(2);
    expect(roles[0]).toContain('区级经办人');
    expect(roles[0]).toContain('按填报轮次报送');
    expect(roles[1]).toContain('市级督办');
    expect(roles[1]).toContain('审核报送');
    await page.screenshot({ path: screenshotPath('profile-first-start.png') });
    await new ProfileDialog(page).complete('张三', '玄武区');
    await new Workbench(page).waitReady();
  });

  it('设置 edits name and unit, records the change in Beijing time, and the screens move to the new unit', async () => {
    await page.locator('.app-header .ant-segmented-item', { hasText: '设置' }).click();
    const editor = page.locator('.profile-editor');
    await editor.waitFor();
    expect(await editor.locator('.profile-history').innerText()).toContain('个人信息尚未修改过');
    // An official cannot rename units: the fields are disabled and say why.
    const xwName = page.getByLabel('名称 320102');
    expect(await xwName.isDisabled()).toBe(true);
    expect(await xwName.getAttribute('title')).toContain('只有市级督办可以修改单位名称');

    await page.locator('#settings-profile-name').fill('张三丰');
    await chooseUnit('所在单位', '秦淮区');
    await editor.getByRole('button', { name: /保存个人信息/ }).click();
    await page.getByText('个人信息已保存').first().waitFor();
    const row = editor.locator('.profile-history .ant-table-row').first();
    await expect.poll(() => row.innerText()).toContain('姓名：张三 → 张三丰；所在单位：玄武区 → 秦淮区');
    expect(await row.innerText()).toMatch(/北京时间/);
    // The header's unit follows the profile's new unit.
    expect(await page.locator('.app-header').innerText()).toContain('秦淮区');
  });

  it('as a supervisor the unit names become editable; a reload keeps the profile and its two changes', async () => {
    const editor = page.locator('.profile-editor');
    await editor.locator('.role-option', { hasText: '市级督办' }).click();
    await editor.getByRole('button', { name: /保存个人信息/ }).click();
    await expect.poll(() => editor.locator('.profile-history .ant-table-row').count()).toBe(2);
    expect(await editor.locator('.profile-history .ant-table-row').first().innerText()).toContain('角色：区级经办人 → 市级督办');
    await expect.poll(() => page.getByLabel('名称 320102').isDisabled()).toBe(false);
    await editor.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-profile.png'), fullPage: true });

    await page.reload();
    await new Workbench(page).waitReady();
    await page.locator('.app-header .ant-segmented-item', { hasText: '设置' }).click();
    await page.locator('.profile-editor').waitFor();
    expect(await page.locator('#settings-profile-name').inputValue()).toBe('张三丰');
    await expect.poll(() => page.locator('.profile-history .ant-table-row').count()).toBe(2);
  });

  it('in English the profile editor, the roles and the history speak English (only data stays Chinese)', async () => {
    await page.getByLabel('语言', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'English' }).click();
    const editor = page.locator('.profile-editor');
    await expect.poll(() => editor.locator('.role-option').first().innerText()).toContain('District official');
    const cjk = /[\u4e00-\u9fff]/u;
    for (const text of await editor.locator('.role-option').allInnerTexts()) expect(text).not.toMatch(cjk);
    // The history's words are English; the values (names, units) are the data's.
    const line = await editor.locator('.profile-history .ant-table-row').first().innerText();
    expect(line).toContain('Role: District official → City supervisor');
    expect(line).toMatch(/Beijing time/);
    await page.screenshot({ path: screenshotPath('settings-profile-en.png'), fullPage: true });
  });
});
