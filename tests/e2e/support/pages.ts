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
