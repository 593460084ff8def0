/**
 * Electron main: lifecycle, window, IPC. Everything with logic lives in plain modules beside this
 * one; this file only wires electron to them.
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers } from './handlers';
import { registerIpc } from './ipc';
import { createOriginCheck, denyAllPermissions, hardenWebContents, isSafeExternalUrl } from './security';
import { loadCorpus, seedCandidates } from './services/corpus';
import { createOriginRecord, type Dialogs } from './services/files';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const devUrl = process.env.ELECTRON_RENDERER_URL;

// A fixed app id keeps the user-data folder (and so the database) in the same place across versions.
app.setName('PilotDesk');
app.setAppUserModelId('cn.gov.nanjing.pilotdesk');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  const corpus = loadCorpus(seedCandidates(process.env, process.resourcesPath));
  const isAppUrl = createOriginCheck(rendererDir, devUrl);

  const dialogs: Dialogs = {
    async showOpen(o) {
      const r = await dialog.showOpenDialog({ title: o.title, filters: o.filters, properties: ['openFile'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    async showSave(o) {
      const r = await dialog.showSaveDialog({ title: o.title, defaultPath: o.defaultName, filters: o.filters });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };

  registerIpc(
    ipcMain,
    createHandlers({
      corpus: () => corpus,
      info: { name: app.getName(), version: app.getVersion(), shell: 'electron', platform: process.platform },
      dialogs,
      openPath: (path) => shell.openPath(path),
      storageOrigin: (origin) => createOriginRecord(join(app.getPath('userData'), 'storage-origin.json'))(origin),
    }),
    isAppUrl,
  );

  app.on('web-contents-created', (_e, contents) => {
    hardenWebContents(contents, isAppUrl, (url) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
    });
  });

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    mainWindow = createMainWindow(BrowserWindow, join(here, '../preload/index.cjs'));
    if (devUrl) void mainWindow.loadURL(devUrl);
    else void mainWindow.loadFile(join(rendererDir, 'index.html'));
    mainWindow.on('closed', () => (mainWindow = null));
  });

  app.on('window-all-closed', () => app.quit());
}
