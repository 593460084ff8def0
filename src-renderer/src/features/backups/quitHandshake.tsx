/**
 * The page's side of the backup on quit (src-main/main/quitGuard.ts): when main asks, answer
 * `started` at once, save what is being typed, make the backup if anything changed since the last
 * one, then answer `done` so main closes the window. While it runs, an overlay says why the window
 * has not closed yet.
 */
import { useEffect } from 'react';
import { Progress } from 'antd';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { invoke, onMainEvent } from '../../api/client';
import { settlePendingEdits } from '../../db/mutate';
import { STEP_PERCENT, useBackupActivity } from './backupActivity';

/** What to run on quit besides saving the editor: the scheduler registers its backup here. */
let quitBackup: (() => Promise<void>) | null = null;

/** Registers the backup to run on quit; returns the function that unregisters it. */
export function setQuitBackup(fn: () => Promise<void>): () => void {
  quitBackup = fn;
  return () => {
    if (quitBackup === fn) quitBackup = null;
  };
}

export const useQuitState = create<{ quitting: boolean }>()(() => ({ quitting: false }));

/** Answers one quit request. Exported for tests; the component below calls it on main's event. */
export async function answerQuit(): Promise<void> {
  if (useQuitState.getState().quitting) return;
  useQuitState.setState({ quitting: true });
  await invoke('app:quitReady', { phase: 'started' });
  try {
    await settlePendingEdits();
    await quitBackup?.().catch(() => undefined);
  } finally {
    await invoke('app:quitReady', { phase: 'done' });
  }
}

/** Listens for main's quit request and shows the overlay while the backup runs. Mount once. */
export function QuitHandshake() {
  const { t } = useTranslation();
  const quitting = useQuitState((s) => s.quitting);
  const step = useBackupActivity((s) => s.step);
  useEffect(() => onMainEvent('app:quitRequested', () => void answerQuit()), []);
  if (!quitting) return null;
  return (
    <div className="quit-overlay" role="alertdialog" aria-live="assertive" aria-label={t('quit.title')}>
      <div className="quit-box">
        <div className="quit-title">{t('quit.title')}</div>
        <div>{t('quit.hint')}</div>
        {step && <Progress percent={STEP_PERCENT[step]} status="active" aria-label={t('backups.progress')} />}
      </div>
    </div>
  );
}
