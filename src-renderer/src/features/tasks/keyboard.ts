/**
 * Keyboard use of the task workspace (issue #18): where the keyboard goes between the search box,
 * the task list and the annotation form. The keys themselves are bound in App.tsx (the list and
 * Alt+↓/↑), TaskTree.tsx (a row), AnnotationPanel.tsx (Esc) and ShortcutSheet.tsx (?); the sheet
 * lists them all.
 */

/** Is the key event meant for a text field or a dialog (where j/k are letters, not navigation)? */
export function isTypingTarget(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || !!el.closest('[role="dialog"]'));
}

/** A key pressed while an input method is composing (Chinese input): it belongs to the IME. */
export function isComposing(e: KeyboardEvent): boolean {
  return e.isComposing || e.keyCode === 229;
}

/** The row of a task in the task list, if the list shows it. */
export function taskRow(taskId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.task-tree [role="treeitem"][data-leaf="true"][data-key="${CSS.escape(taskId)}"]`);
}

/** Puts the keyboard on a task's row in the list (scrolled into view). False when the list does not show it. */
export function focusTaskRow(taskId: string): boolean {
  const row = taskRow(taskId);
  if (!row) return false;
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: 'nearest' });
  return true;
}

/** The first task the list shows (in its order on screen), if any. */
export function firstShownTask(): string | null {
  return document.querySelector<HTMLElement>('.task-tree [role="treeitem"][data-leaf="true"]')?.dataset.key ?? null;
}

/** Is the keyboard in the task list? */
export function focusInTaskList(): boolean {
  return !!document.activeElement?.closest('.task-tree');
}

/**
 * The annotation form's field that has the keyboard (its element id, as `editTask` takes it), or
 * null when the keyboard is not in the form. A field without an id (the rich-text editor) is ''.
 */
export function focusedFormField(): string | null {
  const el = document.activeElement;
  if (!el?.closest('.annotation-form')) return null;
  return el.closest<HTMLElement>('[id^="field-"]')?.id ?? '';
}

/** Is a popup of a field open where `target` is (a select's list, a date picker)? Esc then closes it. */
export function inOpenPopup(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.closest) return false;
  if (el.closest('.ant-select-dropdown, .ant-picker-dropdown, .ant-dropdown, .ant-popover, [role="dialog"]')) return true;
  return el.closest('[aria-expanded="true"]') !== null && el.closest('[role="tree"]') === null;
}
