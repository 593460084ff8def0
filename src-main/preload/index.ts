/**
 * The preload exposes one typed object, `window.pilotDesk`, that forwards the contract's channels
 * and nothing else. No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isChannel, type PreloadApi } from '../shared/ipc-contract';

export const api = {
  invoke: (channel, ...args) => {
    if (!isChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, ...args);
  },
} satisfies PreloadApi as PreloadApi;

contextBridge.exposeInMainWorld('pilotDesk', api);
