/**
 * Backup on quit: main holds the window's close until the page has backed up, and nothing can keep
 * the app open for ever (a page that never answers, a backup that hangs, a crashed page).
 */
import { describe, expect, it } from 'vitest';
import { createQuitGuard, type QuitGuardDeps } from '../../src-main/main/quitGuard';

/** A guard with a hand-driven clock: `tick(ms)` fires the timers that are due. */
function setup(over: Partial<QuitGuardDeps> = {}) {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextId = 1;
  const events: string[] = [];
  let requests = 0;
  let closes = 0;
  const guard = createQuitGuard({
    request: () => {
      requests++;
      return true;
    },
    close: () => closes++,
    log: (event, data) => events.push(data?.why ? `${event}:${String(data.why)}` : event),
    ackTimeoutMs: 5_000,
    doneTimeoutMs: 600_000,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id) => timers.delete(id as number),
    ...over,
  });
  const tick = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  const close = () => {
    let prevented = false;
    guard.onClose({ preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { guard, tick, close, events, get requests() { return requests; }, get closes() { return closes; }, timers };
}

describe('quit guard', () => {
  it('closes only after the page has answered started and done, however long the backup takes', () => {
    const s = setup();
    expect(s.close()).toBe(true);
    expect(s.requests).toBe(1);
    s.guard.onPhase('started');
    s.tick(120_000); // a two-minute backup of years of data
    expect(s.closes).toBe(0);
    expect(s.guard.state).toBe('backing-up');
    s.guard.onPhase('done');
    expect(s.closes).toBe(1);
    expect(s.close()).toBe(false); // main's own close passes
    expect(s.timers.size).toBe(0);
    expect(s.events).toEqual(['quit.requested', 'quit.close:done']);
  });

  it('asks once, however often the close button is clicked', () => {
    const s = setup();
    s.close();
    s.guard.onPhase('started');
    expect(s.close()).toBe(true);
    expect(s.close()).toBe(true);
    expect(s.requests).toBe(1);
    expect(s.closes).toBe(0);
  });

  it('closes when the page does not answer in time (hung, still loading, crashed without notice)', () => {
    const s = setup();
    s.close();
    s.tick(4_999);
    expect(s.closes).toBe(0);
    s.tick(1);
    expect(s.closes).toBe(1);
    expect(s.events.at(-1)).toBe('quit.close:no-answer');
    // A late answer changes nothing.
    s.guard.onPhase('done');
    expect(s.closes).toBe(1);
  });

  it('closes when a started backup never finishes', () => {
    const s = setup();
    s.close();
    s.guard.onPhase('started');
    s.tick(599_999);
    expect(s.closes).toBe(0);
    s.tick(1);
    expect(s.closes).toBe(1);
    expect(s.events.at(-1)).toBe('quit.close:backup-timeout');
  });

  it('closes at once when the page is gone, or when there is no page to ask', () => {
    const gone = setup();
    gone.close();
    gone.guard.onPhase('started');
    gone.guard.onPageGone();
    expect(gone.closes).toBe(1);
    expect(gone.events.at(-1)).toBe('quit.close:page-gone');

    const none = setup({ request: () => false });
    expect(none.close()).toBe(true);
    expect(none.closes).toBe(1);
    expect(none.events).toEqual(['quit.close:no-page']);
  });

  it('ignores answers nobody asked for, and a page crash while no quit is running', () => {
    const s = setup();
    s.guard.onPhase('done');
    s.guard.onPhase('started');
    s.guard.onPageGone();
    expect(s.closes).toBe(0);
    expect(s.guard.state).toBe('open');
    expect(s.close()).toBe(true);
    expect(s.requests).toBe(1);
  });
});
