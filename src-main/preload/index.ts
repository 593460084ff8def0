/**
 * The preload exposes one typed object, `window.pilotDesk`, that forwards the contract's channels
 * and the events main sends (MAIN_EVENTS), and nothing else. No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isChannel, isMainEvent, type PreloadApi } from '../shared/ipc-contract';

export const api = {
  invoke: (channel, ...args) => {
    if (!isChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, ...args);
  },
  on: (event, listener) => {
    if (!isMainEvent(event)) throw new Error(`unknown event ${String(event)}`);
    // The page gets the payload only, never the IpcRendererEvent (it carries `sender`).
    const forward = (_e: unknown, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, forward);
    return () => void ipcRenderer.removeListener(event, forward);
  },
} satisfies PreloadApi as PreloadApi;

contextBridge.exposeInMainWorld('pilotDesk', api);
