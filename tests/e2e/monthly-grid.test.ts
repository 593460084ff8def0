/**
 * 本月更新 end to end (headless Chromium through the harness, not Electron): a district official
 * opens the monthly grid and, by keyboard only, changes the status of ten tasks in at most 25
 * keystrokes (each counted here); the annotations read back from IndexedDB have those statuses,
 * each with one revision. Ticking 本月已核实 on a task nobody has annotated records a `check`
 * revision of the empty form (未启动, checked), and Esc leaves a started edit unsaved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { ProfileDialog, Workbench } from './support/pages';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

const UNIT = '320102';

interface Stored {
  annotations: { taskId: string; status: string; unitCode: string }[];
  revisions: { taskId: string; kind: string; changed: string[]; fields: { status: string } }[];
}

async function stored(page: Page): Promise<Stored> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('pilot-desk');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T,>(name: string) =>
      new Promise<T[]>((res, rej) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error);
      });
    const out = { annotations: await all<Stored['annotations'][number]>('annotations'), revisions: await all<Stored['revisions'][number]>('revisions') };
    db.close();
    return out;
  });
}

describe('本月更新 grid', () => {
  it('ten status changes by keyboard in ≤ 25 keystrokes, saved; 本月已核实 on a blank task is recorded', { timeout: 180_000 }, async () => {
    const app = await startApp();
    sessions.push(app);
    const page = app.page;
    await new ProfileDialog(page).complete('王核实', '玄武区');
    await new Workbench(page).waitReady();
    await page.locator('.app-header .ant-segmented-item', { hasText: '本月更新' }).click();
    const grid = page.getByRole('grid', { name: '本月更新表格' });
    await grid.waitFor({ timeout: 60_000 });
    // The grid takes the keyboard as it opens, on the first task's status.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('grid');
    const rowIds = await grid.locator('[role="row"][data-task-id]').evaluateAll((els) => els.slice(0, 12).map((e) => e.getAttribute('data-task-id')!));
    expect(rowIds.slice(0, 3)).toEqual(['T1-01', 'T1-02', 'T1-03']);

    let keys = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    // 1 未启动 2 序时推进 3 进度滞后 4 基本完成 5 已完成 6 不涉及: a digit filters to one, Enter commits and moves down.
    const digits = ['2', '3', '4', '5', '6', '2', '3', '5', '2', '4'];
    const want = ['on_track', 'delayed', 'mostly_done', 'done', 'not_applicable', 'on_track', 'delayed', 'done', 'on_track', 'mostly_done'];
    for (const d of digits) {
      await press(d);
      await press('Enter');
    }
    expect(keys).toBeLessThanOrEqual(25);
    expect(keys).toBe(20);

    const tenIds = rowIds.slice(0, 10);
    await expect
      .poll(async () => {
        const s = await stored(page);
        return tenIds.map((id) => s.annotations.find((a) => a.taskId === id && a.unitCode === UNIT)?.status ?? null);
      }, { timeout: 30_000 })
      .toEqual(want);
    const s1 = await stored(page);
    // One revision per cell, an edit of the status from the empty form.
    for (const [i, id] of tenIds.entries()) {
      const revs = s1.revisions.filter((r) => r.taskId === id);
      expect(revs).toHaveLength(1);
      expect(revs[0]).toMatchObject({ kind: 'edit', fields: { status: want[i] } });
    }
    // The grid shows what was saved.
    await expect.poll(() => grid.locator(`[data-task-id="${tenIds[1]}"] [data-col="status"] [data-status]`).getAttribute('data-status')).toBe('delayed');

    // Row 11 has no annotation: End goes to its 本月已核实 tick, Space records it.
    const blank = rowIds[10]!;
    expect(s1.annotations.some((a) => a.taskId === blank)).toBe(false);
    keys = 0;
    await press('End');
    await press('Space');
    expect(keys).toBe(2);
    await expect.poll(async () => (await stored(page)).revisions.filter((r) => r.taskId === blank).map((r) => r.kind), { timeout: 30_000 }).toEqual(['check']);
    const s2 = await stored(page);
    expect(s2.annotations.find((a) => a.taskId === blank)).toMatchObject({ status: 'not_started', unitCode: UNIT });
    await expect.poll(() => grid.locator(`[data-task-id="${blank}"] [data-col="checked"] input`).isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('monthly-progress').getAttribute('data-touched')).toBe('11');
    expect(await page.getByTestId('monthly-progress').getAttribute('data-checked')).toBe('1');
    // A second Space the same month records nothing more.
    await press('Space');
    await page.waitForTimeout(300);
    expect((await stored(page)).revisions.filter((r) => r.taskId === blank)).toHaveLength(1);

    // Esc cancels: the next row's status typed but not committed stays as it was.
    const next = rowIds[11]!;
    await press('ArrowDown');
    await press('Home');
    for (let i = 0; i < 2; i++) await press('ArrowRight');
    await press('3');
    await expect.poll(() => grid.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('进度滞后')]);
    await press('Escape');
    await page.waitForTimeout(300);
    expect((await stored(page)).annotations.some((a) => a.taskId === next)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('grid');

    await page.screenshot({ path: screenshotPath('monthly.png') });
    expect(app.errors).toEqual([]);
  });
});
