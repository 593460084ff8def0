/**
 * Backup on quit, guaranteed: the window's close is held until the page says it has saved and
 * backed up, so closing the app never leaves changes without a backup. No electron here; index.ts
 * wires it to the window's `close` event, `app:quitReady` and `render-process-gone`.
 *
 * Handshake: the first close is prevented and main sends `app:quitRequested`. The page answers
 * `started` at once, then `done` when its backup is written (or it had nothing to back up). A page
 * that does not answer `started` within `ackTimeoutMs` (hung, crashed, still loading) does not hold
 * the quit; one that started gets `doneTimeoutMs` (a backup of years of data takes a while on a slow
 * laptop). A page that is gone lets the window close at once. Nothing here can keep the app open
 * for ever.
 */

export type QuitPhase = 'started' | 'done';

export interface QuitGuardDeps {
  /** Sends `app:quitRequested` to the page; false when there is no page to ask. */
  request: () => boolean;
  /** Closes the window for real (the next `close` event is let through). */
  close: () => void;
  log?: (event: string, data?: Record<string, unknown>) => void;
  /** How long the page has to answer `started`. */
  ackTimeoutMs?: number;
  /** How long a started backup may take before the window closes anyway. */
  doneTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export interface QuitGuard {
  /** The window's `close` event handler. */
  onClose(event: { preventDefault(): void }): void;
  /** The page's `app:quitReady` call. */
  onPhase(phase: QuitPhase): void;
  /** The page's process is gone: nothing to wait for. */
  onPageGone(): void;
  readonly state: 'open' | 'waiting' | 'backing-up' | 'closing';
}

export const ACK_TIMEOUT_MS = 5_000;
export const DONE_TIMEOUT_MS = 10 * 60_000;

export function createQuitGuard(deps: QuitGuardDeps): QuitGuard {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const log = deps.log ?? (() => {});
  let state: QuitGuard['state'] = 'open';
  let timer: unknown = null;

  const finish = (why: string) => {
    if (state === 'closing') return;
    if (timer !== null) clearTimer(timer);
    timer = null;
    state = 'closing';
    log('quit.close', { why });
    deps.close();
  };

  return {
    get state() {
      return state;
    },
    onClose(event) {
      if (state === 'closing') return; // the real close
      event.preventDefault();
      if (state !== 'open') return; // already asked; a second click does not ask again
      if (!deps.request()) return finish('no-page');
      state = 'waiting';
      log('quit.requested');
      timer = setTimer(() => finish('no-answer'), deps.ackTimeoutMs ?? ACK_TIMEOUT_MS);
    },
    onPhase(phase) {
      if (state === 'open' || state === 'closing') return; // not asked: ignore
      if (phase === 'started') {
        if (state !== 'waiting') return;
        if (timer !== null) clearTimer(timer);
        state = 'backing-up';
        timer = setTimer(() => finish('backup-timeout'), deps.doneTimeoutMs ?? DONE_TIMEOUT_MS);
        return;
      }
      finish('done');
    },
    onPageGone() {
      if (state === 'waiting' || state === 'backing-up') finish('page-gone');
    },
  };
}
