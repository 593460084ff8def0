/**
 * The preload, with `electron` mocked: it exposes exactly one object, `window.pilotDesk`, whose only
 * member is `invoke`; it forwards the contract's channels and refuses every other one before it
 * reaches ipcRenderer. No raw ipcRenderer, no other Electron or Node API reaches the page.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src-main/shared/ipc-contract';

const h = vi.hoisted(() => ({
  exposed: [] as { key: string; api: unknown }[],
  invoked: [] as unknown[][],
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
    on: () => {
      throw new Error('the preload must not listen on raw ipcRenderer');
    },
    send: () => {
      throw new Error('the preload must not send on raw ipcRenderer');
    },
  },
}));

type Api = { invoke: (channel: unknown, ...args: unknown[]) => Promise<unknown> };
let api: Api;

beforeAll(async () => {
  await import('../../src-main/preload/index');
  api = h.exposed[0]!.api as Api;
});

describe('preload surface', () => {
  it('calls exposeInMainWorld exactly once, as pilotDesk, with invoke as its only member', () => {
    expect(h.exposed).toHaveLength(1);
    expect(h.exposed[0]!.key).toBe('pilotDesk');
    expect(Object.keys(api)).toEqual(['invoke']);
    expect(typeof api.invoke).toBe('function');
    // Nothing of ipcRenderer leaks through the object.
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.getOwnPropertyNames(api)).toEqual(['invoke']);
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
