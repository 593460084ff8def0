/**
 * The Electron main process, with `electron` mocked: the window's webPreferences, the IPC sender
 * check, navigation and permission handling are what DESIGN.md says. No Electron binary needed.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { CHANNELS } from '../../src-main/shared/ipc-contract';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const appListeners: Record<string, (...a: unknown[]) => unknown> = {};
  const handled = new Map<string, (...a: unknown[]) => unknown>();
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
  const permission = { request: null as null | ((...a: unknown[]) => void), check: null as null | ((...a: unknown[]) => boolean) };
  const opened: string[] = [];
  return { appListeners, handled, windows, permission, opened };
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: Record<string, unknown>;
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      this.options = options;
      h.windows.push(this);
    }
    once() {}
    on() {}
    loadFile(p: string) {
      this.loaded.push(p);
      return Promise.resolve();
    }
    loadURL(u: string) {
      this.loaded.push(u);
      return Promise.resolve();
    }
  }
  return {
    app: {
      setName: vi.fn(),
      setAppUserModelId: vi.fn(),
      requestSingleInstanceLock: () => true,
      on: (ev: string, fn: Listener) => (h.appListeners[ev] = fn),
      whenReady: () => Promise.resolve(),
      getName: () => 'PilotDesk',
      getVersion: () => '0.0.0-test',
      quit: vi.fn(),
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: Listener) => h.handled.set(ch, fn) },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (h.permission.request = fn),
        setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => (h.permission.check = fn),
      },
    },
    shell: { openExternal: (u: string) => h.opened.push(u) },
  };
});

const rendererIndex = pathToFileURL(resolve('src-main/renderer/index.html')).href;

beforeAll(async () => {
  await import('../../src-main/main/index');
  await new Promise((r) => setTimeout(r, 0));
});

/** A fake webContents that records the listeners main installs. */
function fakeContents() {
  const listeners: Record<string, Listener> = {};
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    listeners,
    on: (ev: string, fn: Listener) => (listeners[ev] = fn),
    setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => (openHandler = fn),
    open: (url: string) => openHandler!({ url }),
  };
}

describe('main window', () => {
  it('is created with isolation, sandbox and no Node in the page', () => {
    expect(h.windows).toHaveLength(1);
    const prefs = h.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('loads the built renderer from a file, not from the network', () => {
    expect(h.windows[0]!.loaded[0]).toMatch(/renderer[\\/]index\.html$/);
  });
});

describe('IPC', () => {
  it('binds exactly the channels of the contract', () => {
    expect([...h.handled.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers the app’s own page', async () => {
    const fn = h.handled.get('app:info')!;
    const url = pathToFileURL(resolve('src-main/renderer/index.html')).href;
    // The renderer folder main trusts is out/renderer relative to the main bundle; here main runs from
    // source (src-main/main), so its renderer folder is src-main/renderer.
    const r = (await fn({ senderFrame: { url } })) as { ok: boolean; value?: { name: string } };
    expect(r.ok).toBe(true);
    expect(r.value?.name).toBe('PilotDesk');
  });

  it.each([
    ['a remote page', 'https://evil.example/index.html'],
    ['another local file', pathToFileURL('/etc/passwd').href],
    ['a path that climbs out of the renderer folder', rendererIndex.replace('index.html', '../../../etc/x.html')],
    ['a data URL', 'data:text/html,<script>1</script>'],
    ['no frame at all', undefined],
  ])('refuses calls from %s with a value, not a throw', async (_name, url) => {
    const fn = h.handled.get('corpus:get')!;
    const r = (await fn({ senderFrame: url === undefined ? null : { url } })) as { ok: boolean; error?: { code: string; message: string } };
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('ipc.forbidden_sender');
    expect(r.error?.message).toMatch(/不受信任/);
  });
});

describe('web contents', () => {
  it('blocks navigation away from the app, webviews and new windows', () => {
    const wc = fakeContents();
    h.appListeners['web-contents-created']!({}, wc);
    const nav = { preventDefault: vi.fn() };
    wc.listeners['will-navigate']!(nav, 'https://example.com/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const own = { preventDefault: vi.fn() };
    wc.listeners['will-navigate']!(own, rendererIndex);
    expect(own.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    wc.listeners['will-attach-webview']!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(wc.open('https://www.mofcom.gov.cn/').action).toBe('deny');
    expect(wc.open('javascript:alert(1)').action).toBe('deny');
    expect(wc.open('file:///etc/passwd').action).toBe('deny');
    // Only https and mailto go to the system browser; the window itself is still denied.
    expect(h.opened).toEqual(['https://www.mofcom.gov.cn/']);
  });

  it('denies every permission request and check', () => {
    const cb = vi.fn();
    h.permission.request!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(h.permission.check!({}, 'notifications')).toBe(false);
  });
});
