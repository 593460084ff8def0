/**
 * The main-side handler map: one plain async function per IPC channel. No electron here, so the
 * same map serves the Electron IPC, the browser harness and tests.
 */
import type { Corpus } from '../shared/corpus/types';
import type { AppInfo, Handlers } from '../shared/ipc-contract';
import { ok, type Result } from '../shared/result';
import { openWithSystem, readChosenFile, writeFileAtomic, type Dialogs } from './services/files';

export interface HandlerDeps {
  corpus: () => Result<Corpus>;
  info: AppInfo;
  dialogs: Dialogs;
  /** Opens a file with the system's default program; returns '' or an error text (shell.openPath). */
  openPath: (path: string) => Promise<string>;
  /** Records the first origin it is given and returns the recorded one. */
  storageOrigin: (origin: string) => Promise<string>;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'corpus:get': async () => deps.corpus(),
    'app:info': async () => ok(deps.info),
    'file:open': async (options) => {
      const path = await deps.dialogs.showOpen(options);
      if (path === null) return ok(null);
      return readChosenFile(path, options.maxBytes);
    },
    'file:save': async ({ bytes, ...options }) => {
      const path = await deps.dialogs.showSave(options);
      if (path === null) return ok({ canceled: true });
      return writeFileAtomic(path, bytes);
    },
    'file:openWithSystem': async ({ name, bytes }) => openWithSystem(name, bytes, deps.openPath),
    'app:storageOrigin': async (origin) => ok({ expected: await deps.storageOrigin(origin) }),
  } satisfies Handlers;
}
