/**
 * The monthly round by keyboard only (issue #18), end to end in headless Chromium (not Electron)
 * through the harness: Ctrl+K and a task id, Enter opens it with the cursor in its form, a status is
 * chosen by typing (a word, a number), Esc goes back to the task in the list, j moves on, Enter goes
 * into the next form, Alt+↓ goes to the next task from inside the form, `?` opens the shortcut sheet
 * (not while typing in a field) and Esc closes it. Only the first-run profile is filled in by mouse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, screenshotPath, startApp } from './support/app';
import { AnnotationPanel, ProfileDialog, Workbench } from './support/pages';

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('keyboard throughout', () => {
  it('searches, opens, sets statuses by typing, goes back to the list, moves on and shows the shortcut sheet', async () => {
    app = await startApp();
    const page = app.page;
    await new ProfileDialog(page).complete('张三', '玄武区');
    const wb = new Workbench(page);
    const panel = new AnnotationPanel(page);
    await wb.waitReady();
    const key = (k: string) => page.keyboard.press(k);
    /** What has the keyboard: a task row (its task id), a form field of the open task, or something else. */
    const focus = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const row = el?.closest<HTMLElement>('.task-tree [data-leaf="true"]');
        if (row) return { row: row.dataset.key, ring: getComputedStyle(row.firstElementChild!).outlineStyle };
        const task = el?.closest<HTMLElement>('article[data-task-id]')?.dataset.taskId;
        return { field: el?.id ?? '', task };
      });
    const openTask = (id: string) => page.locator(`article[data-task-id="${id}"]`).waitFor();
    const options = () => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts();
    const listOpen = () => page.locator('.ant-select-dropdown:visible').count();
    /** The option Enter would choose (the list marks it once it has filtered). */
    const activeOption = () => page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').first().innerText().catch(() => '');
    const rowStatus = (id: string) => wb.tree.locator(`[data-task-id="${id}"] .task-meta`).innerText();

    // Ctrl+K, the task id, Enter: the task opens with the cursor in its status box.
    await key('Control+k');
    await page.keyboard.type('T2-05');
    await expect.poll(() => wb.visibleTaskIds()).toEqual(['T2-05']);
    await key('Enter');
    await openTask('T2-05');
    await expect.poll(focus).toEqual({ field: 'field-status', task: 'T2-05' });

    // Typing filters the statuses: 滞后 leaves 进度滞后 alone; Enter chooses it and it is saved.
    await page.keyboard.type('滞后');
    await expect.poll(options).toEqual(['进度滞后']);
    await expect.poll(activeOption).toBe('进度滞后');
    await key('Enter');
    await expect.poll(() => panel.status()).toBe('进度滞后');
    await expect.poll(listOpen).toBe(0);

    // Esc: back to the task's row in the list, with a visible focus ring; leaving saved the status.
    await key('Escape');
    await expect.poll(focus).toEqual({ row: 'T2-05', ring: 'solid' });
    await panel.waitSaved();
    await expect.poll(() => rowStatus('T2-05')).toContain('进度滞后');

    // Clear the search (Ctrl+K, select all, delete); ↓ goes into the results: the first task.
    await key('Control+k');
    await key('Control+a');
    await key('Backspace');
    await expect.poll(async () => (await wb.visibleTaskIds()).length).toBe(104);
    await key('ArrowDown');
    await openTask('T1-01');
    await expect.poll(focus).toEqual({ row: 'T1-01', ring: 'solid' });

    // j moves on, the keyboard with it; Enter goes into that task's form; a number picks a status
    // (2 = 序时推进); Esc and j go on to the next task, and the status chosen is saved.
    await key('j');
    await openTask('T1-02');
    await expect.poll(focus).toEqual({ row: 'T1-02', ring: 'solid' });
    await key('Enter');
    await expect.poll(focus).toEqual({ field: 'field-status', task: 'T1-02' });
    await page.keyboard.type('2');
    await expect.poll(options).toEqual(['序时推进']);
    await expect.poll(activeOption).toBe('序时推进');
    await key('Enter');
    await expect.poll(() => panel.status()).toBe('序时推进');
    await expect.poll(listOpen).toBe(0);
    await key('Escape');
    await expect.poll(focus).toEqual({ row: 'T1-02', ring: 'solid' });
    await key('j');
    await openTask('T1-03');
    await expect.poll(() => rowStatus('T1-02')).toContain('序时推进');

    // Alt+↓ from inside the form: the next task, the cursor in the same field of its form.
    await key('Enter');
    await expect.poll(focus).toEqual({ field: 'field-status', task: 'T1-03' });
    await key('Alt+ArrowDown');
    await openTask('T1-04');
    await expect.poll(focus).toEqual({ field: 'field-status', task: 'T1-04' });
    await key('Alt+ArrowUp');
    await openTask('T1-03');
    await expect.poll(focus).toEqual({ field: 'field-status', task: 'T1-03' });

    // `?` typed in a field is a character, not the sheet; the first Esc closes the status list, the
    // second goes back to the list.
    await page.keyboard.type('?');
    await expect.poll(listOpen).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await key('Escape');
    await expect.poll(listOpen).toBe(0);
    expect(await focus()).toEqual({ field: 'field-status', task: 'T1-03' });
    // The select says it is closed once its list has gone (on a slow machine, a moment later).
    await expect.poll(() => page.locator('#field-status').getAttribute('aria-expanded')).toBe('false');
    await key('Escape');
    await expect.poll(focus).toEqual({ row: 'T1-03', ring: 'solid' });

    // `?` in the list opens the shortcut sheet, which names the keys used above; Esc closes it.
    await key('?');
    const sheet = page.getByRole('dialog', { name: '键盘快捷键' });
    await sheet.waitFor();
    for (const text of ['Ctrl+K', 'Alt+↓', '回到任务清单中的这一项', '拼音首字母', '本月已核实']) await expect.poll(() => sheet.innerText()).toContain(text);
    await page.screenshot({ path: screenshotPath('shortcuts.png') });
    await key('Escape');
    await sheet.waitFor({ state: 'hidden' });
    // Back where it was: j still moves on.
    await key('j');
    await openTask('T1-04');
    expect(app.errors).toEqual([]);
  });
});
