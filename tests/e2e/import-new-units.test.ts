/**
 * A bundle that brings a unit this computer does not have asks before adding it: the preview
 * names the unit, and 应用导入 stays disabled until the person confirms (headless Chromium).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { demoDataOfUnit } from '../unit/bundle-fixtures';
import { type AppSession, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('a bundle with a new unit', () => {
  it('names the unit and imports only after the person confirms it', async () => {
    const app = await startApp();
    sessions.push(app);
    const { page } = app;
    await new ProfileDialog(page).complete('王督办', '秦淮区');
    await new Workbench(page).waitReady();
    const file = join(mkdtempSync(join(tmpdir(), 'new-unit-')), '示例新区.pilotbundle');
    writeFileSync(file, writeBundle(demoDataOfUnit({ code: '320199', name: '示例新区', kind: 'district' })));
    await page.locator('.app-header .ant-segmented-item', { hasText: '批注包' }).click();
    app.harness.dialogQueue.push(file);
    await page.getByRole('button', { name: /选择批注包/ }).click();
    const notice = page.locator('.import-new-units');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('示例新区（320199）');
    const apply = page.locator('.import-preview').getByRole('button', { name: /应用导入/ });
    expect(await apply.isDisabled()).toBe(true);
    await notice.getByRole('checkbox').check();
    expect(await apply.isDisabled()).toBe(false);
    await apply.click();
    await page.getByText(/导入完成/).first().waitFor();
    expect(app.errors).toEqual([]);
  });
});
