/** Page objects with role-based locators (the way Joplin's integration tests model the app). */
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  get searchBox(): Locator {
    return this.page.getByRole('searchbox');
  }
  get tree(): Locator {
    return this.page.getByRole('navigation');
  }
  taskLeaves(): Locator {
    return this.tree.locator('[data-task-id]');
  }
  async visibleTaskIds(): Promise<string[]> {
    return this.taskLeaves().evaluateAll((els) => els.map((e) => e.getAttribute('data-task-id')!));
  }
  async waitReady(): Promise<void> {
    await this.page.getByRole('navigation').waitFor();
  }
  async search(text: string): Promise<void> {
    await this.searchBox.fill(text);
  }
  async openTask(id: string): Promise<Locator> {
    await this.tree.locator(`[data-task-id="${id}"]`).click();
    const view = this.page.locator(`article[data-task-id="${id}"]`);
    await view.waitFor();
    return view;
  }
  async openReader(): Promise<void> {
    await this.page.getByText('方案原文', { exact: true }).click();
  }
}

/** First-run profile dialog. */
export class ProfileDialog {
  constructor(readonly page: Page) {}
  async complete(name: string, unitName: string): Promise<void> {
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill(name);
    await dialog.getByLabel('所在单位').click();
    // The option list is virtual: type to bring the unit into view.
    await this.page.keyboard.type(unitName);
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unitName }).first().click();
    await dialog.getByRole('button', { name: /开始使用/ }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}

/** The annotation panel of the open task. */
export class AnnotationPanel {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.locator('section.annotation-panel');
  }
  get saveState(): Locator {
    return this.root.locator('[data-save-state]');
  }
  async waitSaved(): Promise<void> {
    await this.root.locator('[data-save-state="saved"]').waitFor();
  }
  async tab(name: '批注' | '佐证材料' | '进展记录' | '修改历史'): Promise<void> {
    await this.root.getByRole('tab', { name }).click();
  }
  async setStatus(label: string): Promise<void> {
    const input = this.root.locator('#field-status');
    await input.click();
    // The list of this select (a list still fading out from the task before can be visible too).
    const list = await input.getAttribute('aria-controls');
    const dropdown = this.page.locator(list ? `.ant-select-dropdown:visible:has([id="${list}"])` : '.ant-select-dropdown:visible');
    await dropdown.locator('.ant-select-item-option', { hasText: label }).first().click();
  }
  async status(): Promise<string> {
    return this.root.locator('.ant-select:has(#field-status) .ant-select-content, .ant-select:has(#field-status) .ant-select-selection-item').first().innerText();
  }
  async addTag(field: 'leadUnits' | 'partnerUnits', text: string): Promise<void> {
    await this.root.locator(`#field-${field}`).click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }
  async tags(field: 'leadUnits' | 'partnerUnits'): Promise<string[]> {
    return this.root.locator(`.ant-select:has(#field-${field}) .ant-select-selection-item-content`).allInnerTexts();
  }
  field(name: 'deadline' | 'progress' | 'results' | 'problems' | 'nextSteps'): Locator {
    return this.root.locator(`#field-${name}`);
  }
  get notes(): Locator {
    return this.root.getByRole('textbox', { name: '推进情况' });
  }
  fieldError(label: string): Locator {
    return this.root.locator('.ant-form-item', { has: this.page.locator(`label:text-is("${label}")`) }).locator('.ant-form-item-explain-error');
  }
}
