/**
 * Electron main: lifecycle, window, IPC. Everything with logic lives in plain modules beside this
 * one; this file only wires electron to them.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { trustedEnvironment } from './environment';
import { createHandlers } from './handlers';
import { registerIpc } from './ipc';
import { createOriginCheck, denyAllPermissions, hardenWebContents, isSafeExternalUrl } from './security';
import { createBackupStore } from './services/backups';
import { createExchangeFolder } from './services/exchange';
import { loadCorpus, seedCandidates } from './services/corpus';
import type { Dialogs } from './services/files';
import { createOriginMove, entryOf, readOriginState } from './services/originMove';
import { createLogger } from './services/log';
import { createQuitGuard } from './quitGuard';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
// An installed app ignores the development variables (environment.ts).
const env = trustedEnvironment(process.env, app.isPackaged);
const devUrl = env.ELECTRON_RENDERER_URL;

// A fixed app id keeps the user-data folder (and so the database) in the same place across versions.
app.setName('PilotDesk');
app.setAppUserModelId('cn.gov.nanjing.pilotdesk');
// The user-data folder is fixed by name, not derived from the product name: renaming the product must
// never leave the database behind in the old folder. Set before anything reads it (the single-instance
// lock, the log, the stored origin and Chromium's IndexedDB all live there).
app.setPath('userData', join(app.getPath('appData'), 'PilotDesk'));
const originFile = join(app.getPath('userData'), 'storage-origin.json');

// The renderer's own scheme (appProtocol.ts): standard and secure, with V8's code cache, which pages
// on file:// never get. Must be registered before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

// A rotating log in <userData>/logs: start, IPC handler bugs, crashed processes, uncaught errors.
// Codes and error messages only, never annotation contents (see services/log.ts).
const log = createLogger({ dir: join(app.getPath('userData'), 'logs') });
process.on('uncaughtException', (error) => {
  log.error('main.uncaughtException', error);
  console.error(error);
});
process.on('unhandledRejection', (reason) => {
  log.error('main.unhandledRejection', reason instanceof Error ? reason : { reason: String(reason) });
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  log.info('app.start', {
    version: app.getVersion(),
    electron: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
  });
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  const corpus = loadCorpus(seedCandidates(env, process.resourcesPath));
  const isAppUrl = createOriginCheck(rendererDir, devUrl);

  const dialogs: Dialogs = {
    async showOpen(o) {
      const r = await dialog.showOpenDialog({ title: o.title, filters: o.filters, properties: ['openFile'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    async showOpenMany(o) {
      const r = await dialog.showOpenDialog({ title: o.title, filters: o.filters, properties: ['openFile', 'multiSelections'] });
      return r.canceled ? null : r.filePaths;
    },
    async showSave(o) {
      const r = await dialog.showSaveDialog({ title: o.title, defaultPath: o.defaultName, filters: o.filters });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };

  // Closing the window waits for the page's backup (quitGuard.ts).
  const quitGuard = createQuitGuard({
    request: () => {
      const contents = mainWindow?.webContents;
      if (!contents || contents.isDestroyed() || contents.isCrashed()) return false;
      contents.send('app:quitRequested', null);
      return true;
    },
    close: () => mainWindow?.close(),
    log: (event, data) => log.info(event, data ?? {}),
  });

  // The app's verified backups (the same folder whatever the page's origin), and the one move of an
  // installation's data from file:// to app:// that they make possible (services/originMove.ts).
  const backups = createBackupStore(join(app.getPath('userData'), 'backups'));
  const originMove = createOriginMove({
    file: originFile,
    backupNames: async () => {
      const r = await backups.list();
      return r.ok ? r.value.map((b) => b.name) : [];
    },
    loadScheme: () => void mainWindow?.loadURL(APP_INDEX_URL),
    loadFile: () => void mainWindow?.loadFile(join(rendererDir, 'index.html')),
  });

  registerIpc(
    ipcMain,
    createHandlers({
      corpus: () => corpus,
      info: { name: app.getName(), version: app.getVersion(), shell: 'electron', platform: process.platform },
      dialogs,
      openPath: (path) => shell.openPath(path),
      showInFolder: (path) => shell.showItemInFolder(path),
      storageOrigin: (origin) => originMove.storageOrigin(origin),
      originMove,
      backups,
      quitReady: (phase) => quitGuard.onPhase(phase),
      // The exchange folder is remembered in main's settings file; the page never names a path.
      exchange: {
        folder: createExchangeFolder({ settingsFile: join(app.getPath('userData'), 'settings.json') }),
        chooseFolder: async (title) => {
          const r = await dialog.showOpenDialog({ title, properties: ['openDirectory', 'createDirectory'] });
          return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
        },
      },
    }),
    isAppUrl,
    (channel, error) => log.error('ipc.internal', { channel, error }),
  );

  // A crashed or killed page or helper process: record why.
  app.on('render-process-gone', (_event, _contents, details) => {
    log.error('render-process-gone', { reason: details.reason, exitCode: details.exitCode });
    quitGuard.onPageGone();
  });
  app.on('child-process-gone', (_event, details) => {
    const level = details.reason === 'clean-exit' ? 'info' : 'error';
    log[level]('child-process-gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
      name: details.name,
      serviceName: details.serviceName,
    });
  });

  app.on('web-contents-created', (_e, contents) => {
    hardenWebContents(contents, isAppUrl, (url) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
    });
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
    // An installation whose data lives under file:// stays there (its database is per origin).
    const entry = devUrl ? 'dev' : entryOf(await readOriginState(originFile));
    mainWindow = createMainWindow(BrowserWindow, join(here, '../preload/index.cjs'));
    if (devUrl) void mainWindow.loadURL(devUrl);
    else if (entry === 'file') void mainWindow.loadFile(join(rendererDir, 'index.html'));
    else void mainWindow.loadURL(APP_INDEX_URL);
    mainWindow.on('close', (event) => quitGuard.onClose(event));
    mainWindow.on('closed', () => (mainWindow = null));
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => log.info('app.quit'));
}
