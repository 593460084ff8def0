/**
 * The shortcut sheet: every keyboard shortcut of the app in one modal, opened with `?` (not while
 * typing in a field: there `?` is a character) or the header's 「?」 button; Esc closes it. The rows
 * are the catalogue's `shortcuts.*`, so the sheet speaks the app's language.
 */
import { useEffect } from 'react';
import { Button, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { isComposing, isTypingTarget } from '../tasks/keyboard';

/** The sheet's groups and, in each, its rows (keys of `shortcuts.<group>.<row>` = { keys, what }). */
export const SHORTCUT_GROUPS = {
  general: ['search', 'sheet', 'close'],
  list: ['searchDown', 'searchEnter', 'next', 'previous', 'fold', 'open'],
  form: ['fields', 'status', 'back', 'nextTask', 'editor'],
  monthly: ['move', 'page', 'edit', 'commit', 'cancel', 'check', 'open', 'rowEnds'],
  dashboard: ['charts'],
} as const;

const useSheet = create<{ open: boolean; set(open: boolean): void }>()((set) => ({ open: false, set: (open) => set({ open }) }));

/** The header's button that opens the sheet (for those who do not know `?` yet). */
export function ShortcutButton() {
  const { t } = useTranslation();
  const set = useSheet((s) => s.set);
  return (
    <Button className="shortcut-button" size="small" aria-label={t('shortcuts.button')} title={t('shortcuts.button')} onClick={() => set(true)}>
      ?
    </Button>
  );
}

/** The alternatives of a row's keys (「j / ↓」), each drawn as keys. */
function Keys({ text }: { text: string }) {
  const alternatives = text.split(' / ');
  return (
    <span className="shortcut-keys">
      {alternatives.map((alt, i) => (
        <span key={i}>
          {i > 0 && <span className="shortcut-or"> / </span>}
          <kbd>{alt}</kbd>
        </span>
      ))}
    </span>
  );
}

export function ShortcutSheet() {
  const { t } = useTranslation();
  const open = useSheet((s) => s.open);
  const set = useSheet((s) => s.set);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isComposing(e) || isTypingTarget(e)) return;
      e.preventDefault();
      set(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [set]);

  return (
    <Modal open={open} onCancel={() => set(false)} footer={null} width={880} title={t('shortcuts.title')} className="shortcut-sheet">
      <div className="shortcut-groups">
        {(Object.keys(SHORTCUT_GROUPS) as (keyof typeof SHORTCUT_GROUPS)[]).map((group) => (
          <section key={group} className="shortcut-group" aria-labelledby={`shortcuts-${group}`}>
            <h3 id={`shortcuts-${group}`}>{t(`shortcuts.groups.${group}`)}</h3>
            <table>
              <tbody>
                {SHORTCUT_GROUPS[group].map((row) => (
                  <tr key={row} data-shortcut={`${group}.${row}`}>
                    <th scope="row">
                      <Keys text={t(`shortcuts.${group}.${row}.keys`)} />
                    </th>
                    <td>{t(`shortcuts.${group}.${row}.what`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
