/**
 * The preload, with `electron` mocked: it exposes exactly one object, `window.pilotDesk`, with two
 * members: `invoke` forwards the contract's channels and refuses every other one before it reaches
 * ipcRenderer; `on` listens to main's listed events only and hands the page the payload, never the
 * IPC event object. No raw ipcRenderer, no other Electron or Node API reaches the page.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, MAIN_EVENTS } from '../../src-main/shared/ipc-contract';

type RawListener = (event: unknown, ...args: unknown[]) => void;
const h = vi.hoisted(() => ({
  exposed: [] as { key: string; api: unknown }[],
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => h.exposed.push({ key, api }),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      h.invoked.push(args);
      return Promise.resolve({ ok: true, value: `answer to ${String(args[0])}` });
    },
    on: (event: string, fn: RawListener) => {
      if (!h.listeners.has(event)) h.listeners.set(event, new Set());
      h.listeners.get(event)!.add(fn);
    },
    removeListener: (event: string, fn: RawListener) => h.listeners.get(event)?.delete(fn),
    send: () => {
      throw new Error('the preload must not send on raw ipcRenderer');
    },
  },
}));

type Api = {
  invoke: (channel: unknown, ...args: unknown[]) => Promise<unknown>;
  on: (event: unknown, listener: (...args: unknown[]) => void) => () => void;
};
let api: Api;

beforeAll(async () => {
  await import('../../src-main/preload/index');
  api = h.exposed[0]!.api as Api;
});

describe('preload surface', () => {
  it('calls exposeInMainWorld exactly once, as pilotDesk, with invoke and on as its only members', () => {
    expect(h.exposed).toHaveLength(1);
    expect(h.exposed[0]!.key).toBe('pilotDesk');
    expect(Object.keys(api)).toEqual(['invoke', 'on']);
    // Nothing of ipcRenderer leaks through the object.
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.getOwnPropertyNames(api)).toEqual(['invoke', 'on']);
  });

  it('listens only to main events of the contract', () => {
    for (const event of ['corpus:get', 'app:quitrequested', 'ipc:anything', '', '__proto__', 7, null]) {
      expect(() => api.on(event, () => {})).toThrow(/unknown event/);
    }
    expect([...h.listeners.keys()]).toEqual([]);
  });

  it('hands the page the payload only, never the IPC event with its sender, and stops listening', () => {
    for (const event of MAIN_EVENTS) {
      const got: unknown[][] = [];
      const stop = api.on(event, (...args) => got.push(args));
      const fake = { sender: { send: () => {} }, ports: [] };
      for (const fn of h.listeners.get(event)!) fn(fake, null);
      expect(got).toEqual([[null]]);
      stop();
      expect(h.listeners.get(event)!.size).toBe(0);
    }
  });

  it.each(['shell:openExternal', 'fs:readFile', 'corpus:get ', 'CORPUS:GET', '', '__proto__', 'constructor', 42, null, undefined, { toString: () => 'corpus:get' }])(
    'rejects the unknown channel %j without calling ipcRenderer',
    async (channel) => {
      const before = h.invoked.length;
      await expect(api.invoke(channel, 'x')).rejects.toThrow(/unknown channel/);
      expect(h.invoked.length).toBe(before);
    },
  );

  it('forwards every contract channel with its arguments, unchanged, and returns the answer', async () => {
    for (const channel of CHANNELS) {
      const arg = { maxBytes: 1 };
      const before = h.invoked.length;
      await expect(api.invoke(channel, arg)).resolves.toEqual({ ok: true, value: `answer to ${channel}` });
      expect(h.invoked.slice(before)).toEqual([[channel, arg]]);
    }
  });
});
