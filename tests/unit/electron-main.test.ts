/**
 * The Electron main process, with `electron` mocked: the window's webPreferences, the IPC sender
 * check, navigation and permission handling are what DESIGN.md says. No Electron binary needed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CHANNELS } from '../../src-main/shared/ipc-contract';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const appListeners: Record<string, (...a: unknown[]) => unknown> = {};
  const handled = new Map<string, (...a: unknown[]) => unknown>();
  const windows: {
    options: Record<string, unknown>;
    loaded: string[];
    listeners: Record<string, (...a: unknown[]) => unknown>;
    sent: unknown[][];
    closed: number;
  }[] = [];
  const permission = { request: null as null | ((...a: unknown[]) => void), check: null as null | ((...a: unknown[]) => boolean) };
  const opened: string[] = [];
  /** Every call on `app` that matters for the user-data folder, in order. */
  const calls: string[] = [];
  const paths: Record<string, string> = {};
  /** protocol.registerSchemesAsPrivileged's schemes and protocol.handle's handlers. */
  const schemes: { scheme: string; privileges: Record<string, unknown> }[] = [];
  const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  return { appListeners, handled, windows, permission, opened, calls, paths, schemes, protocolHandlers };
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: Record<string, unknown>;
    loaded: string[] = [];
    listeners: Record<string, (...a: unknown[]) => unknown> = {};
    sent: unknown[][] = [];
    closed = 0;
    webContents = {
      isDestroyed: () => false,
      isCrashed: () => false,
      send: (...a: unknown[]) => this.sent.push(a),
    };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      h.windows.push(this);
    }
    once() {}
    on(ev: string, fn: (...a: unknown[]) => unknown) {
      this.listeners[ev] = fn;
    }
    close() {
      this.closed++;
    }
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
      // As installed: development variables (ELECTRON_RENDERER_URL) must be ignored.
      isPackaged: true,
      setName: vi.fn(),
      setAppUserModelId: (id: string) => h.calls.push(`setAppUserModelId ${id}`),
      getPath: (name: string) => {
        h.calls.push(`getPath ${name}`);
        if (!h.paths[name]) throw new Error(`getPath(${name}) has no value in this test`);
        return h.paths[name];
      },
      setPath: (name: string, value: string) => {
        h.calls.push(`setPath ${name}`);
        h.paths[name] = value;
      },
      requestSingleInstanceLock: () => {
        h.calls.push('requestSingleInstanceLock');
        return true;
      },
      on: (ev: string, fn: Listener) => (h.appListeners[ev] = fn),
      whenReady: () => {
        h.calls.push('whenReady');
        return Promise.resolve();
      },
      getName: () => 'PilotDesk',
      getVersion: () => '0.0.0-test',
      quit: vi.fn(),
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (list: { scheme: string; privileges: Record<string, unknown> }[]) => {
        h.calls.push('registerSchemesAsPrivileged');
        h.schemes.push(...list);
      },
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => h.protocolHandlers.set(scheme, fn),
    },
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
const appData = mkdtempSync(join(tmpdir(), 'electron-main-appdata-'));
const userData = join(appData, 'PilotDesk');
const logFile = join(userData, 'logs', 'pilot-desk.log');
let processListeners: { uncaught: number; rejection: number };

/** The log lines main has written so far. */
function logLines(): { level: string; message: string; detail?: Record<string, unknown> }[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  // Electron's default userData would be <appData>/<product name>; here it must not be read at all.
  h.paths.appData = appData;
  processListeners = { uncaught: process.listenerCount('uncaughtException'), rejection: process.listenerCount('unhandledRejection') };
  // Set by someone who can change the user's environment, aiming the window (and the IPC origin
  // check) at a page of their own.
  process.env.ELECTRON_RENDERER_URL = 'https://evil.example/index.html';
  await import('../../src-main/main/index');
  // The window is created once main has read the stored origin (a file read after whenReady).
  await vi.waitFor(() => expect(h.windows[0]?.loaded).toHaveLength(1));
});

afterAll(() => {
  delete process.env.ELECTRON_RENDERER_URL;
  // main's process-wide listeners must not outlive this file.
  for (const l of process.listeners('uncaughtException').slice(processListeners.uncaught)) process.removeListener('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection').slice(processListeners.rejection)) process.removeListener('unhandledRejection', l);
  rmSync(appData, { recursive: true, force: true });
});

describe('app identity and user-data folder', () => {
  it('keeps the fixed app id', () => {
    expect(h.calls).toContain('setAppUserModelId cn.gov.nanjing.pilotdesk');
  });

  it('fixes userData to <appData>/PilotDesk before anything reads it, the single-instance lock and whenReady', () => {
    expect(h.paths.userData).toBe(join(appData, 'PilotDesk'));
    const set = h.calls.indexOf('setPath userData');
    expect(set).toBeGreaterThanOrEqual(0);
    const firstRead = h.calls.indexOf('getPath userData');
    if (firstRead >= 0) expect(set).toBeLessThan(firstRead);
    expect(set).toBeLessThan(h.calls.indexOf('requestSingleInstanceLock'));
    expect(set).toBeLessThan(h.calls.indexOf('whenReady'));
    // Only appData is read to build it; userData is never derived from the product name.
    expect(h.calls.slice(0, set).filter((c) => c.startsWith('getPath'))).toEqual(['getPath appData']);
  });
});

describe('log file', () => {
  it('logs the start in <userData>/logs', () => {
    const start = logLines().find((l) => l.message === 'app.start');
    expect(start?.level).toBe('info');
    expect(start?.detail).toMatchObject({ version: '0.0.0-test' });
  });

  it('handles render-process-gone and child-process-gone by logging why', () => {
    expect(h.appListeners['render-process-gone']).toBeTypeOf('function');
    h.appListeners['render-process-gone']!({}, {}, { reason: 'crashed', exitCode: 139 });
    h.appListeners['child-process-gone']!({}, { type: 'GPU', reason: 'oom', exitCode: 1 });
    const lines = logLines();
    expect(lines.find((l) => l.message === 'render-process-gone')).toMatchObject({ level: 'error', detail: { reason: 'crashed', exitCode: 139 } });
    expect(lines.find((l) => l.message === 'child-process-gone')).toMatchObject({ level: 'error', detail: { type: 'GPU', reason: 'oom' } });
  });

  it('logs an uncaught exception in main', () => {
    const listener = process.listeners('uncaughtException').at(-1) as (e: Error) => void;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    listener(new RangeError('main blew up'));
    quiet.mockRestore();
    expect(logLines().find((l) => l.message === 'main.uncaughtException')?.detail).toMatchObject({
      error: { name: 'RangeError', message: 'main blew up' },
    });
  });
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

  it('loads a new installation\'s renderer from the app\'s own scheme, not from the network', () => {
    expect(h.windows[0]!.loaded[0]).toBe('app://pilot-desk/index.html');
  });

  it('ignores ELECTRON_RENDERER_URL when installed: the window stays on app://, and that page gets no IPC', async () => {
    expect(process.env.ELECTRON_RENDERER_URL).toBe('https://evil.example/index.html');
    expect(h.windows[0]!.loaded).toEqual(['app://pilot-desk/index.html']);
    const r = (await h.handled.get('app:info')!({ senderFrame: { url: 'https://evil.example/index.html' } })) as { ok: boolean; error?: { code: string } };
    expect(r.error?.code).toBe('ipc.forbidden_sender');
  });

  it('registers that scheme before the app is ready, standard and secure, with the V8 code cache', () => {
    expect(h.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, codeCache: true }) }]);
    expect(h.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(h.calls.indexOf('whenReady'));
  });

  it('serves only the renderer folder on it', async () => {
    const serve = h.protocolHandlers.get('app')!;
    expect(serve).toBeTypeOf('function');
    // main runs from source here: its renderer folder is src-main/renderer, and main's own code is
    // one level up from it.
    for (const url of ['app://pilot-desk/%2e%2e/main/index.ts', 'app://pilot-desk/..%2fmain%2findex.ts', 'app://other/index.html']) {
      const r = await serve(new Request(url));
      expect(r.status, url).toBe(404);
    }
  });
});

describe('IPC', () => {
  it('binds exactly the channels of the contract', () => {
    expect([...h.handled.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers the app’s own page on the app:// scheme, and not another host of it', async () => {
    const fn = h.handled.get('app:info')!;
    expect(((await fn({ senderFrame: { url: 'app://pilot-desk/index.html' } })) as { ok: boolean }).ok).toBe(true);
    const other = (await fn({ senderFrame: { url: 'app://elsewhere/index.html' } })) as { ok: boolean; error?: { code: string } };
    expect(other.ok).toBe(false);
    expect(other.error?.code).toBe('ipc.forbidden_sender');
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

  it('answers a handler bug with a value and logs the channel and error, not the arguments', async () => {
    // The mocked dialog returns nothing, so the file:open handler throws a TypeError inside.
    const fn = h.handled.get('file:open')!;
    const r = (await fn({ senderFrame: { url: rendererIndex } }, { title: '机密标题', maxBytes: 10 })) as { ok: boolean; error?: { code: string } };
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('internal');
    const line = logLines().find((l) => l.message === 'ipc.internal');
    expect(line).toMatchObject({ level: 'error', detail: { channel: 'file:open', error: { name: 'TypeError' } } });
    expect(readFileSync(logFile, 'utf8')).not.toContain('机密标题');
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

describe('closing the window (backup on quit)', () => {
  it('holds the close, asks the page to back up, and closes when the page says it is done', async () => {
    const win = h.windows[0]!;
    const quitReady = h.handled.get('app:quitReady')!;
    const page = { senderFrame: { url: rendererIndex } };
    const first = { preventDefault: vi.fn() };
    win.listeners['close']!(first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(win.sent).toEqual([['app:quitRequested', null]]);
    // A second click on the close button while the backup runs neither closes nor asks again.
    const second = { preventDefault: vi.fn() };
    win.listeners['close']!(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(win.sent).toHaveLength(1);
    expect(await quitReady(page, { phase: 'started' })).toEqual({ ok: true, value: null });
    expect(win.closed).toBe(0);
    expect(await quitReady(page, { phase: 'done' })).toEqual({ ok: true, value: null });
    expect(win.closed).toBe(1);
    // The close main starts itself goes through.
    const real = { preventDefault: vi.fn() };
    win.listeners['close']!(real);
    expect(real.preventDefault).not.toHaveBeenCalled();
    expect(logLines().filter((l) => l.message.startsWith('quit.')).map((l) => l.message)).toEqual(['quit.requested', 'quit.close']);
  });

  it('does not let another page end the handshake', async () => {
    const r = (await h.handled.get('app:quitReady')!({ senderFrame: { url: 'https://evil.example/' } }, { phase: 'done' })) as { ok: boolean };
    expect(r.ok).toBe(false);
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
    expect(wc.open('mailto:duban@example.gov.cn').action).toBe('deny');
    expect(wc.open('javascript:alert(1)').action).toBe('deny');
    expect(wc.open('file:///etc/passwd').action).toBe('deny');
    expect(wc.open('http://insecure.example/').action).toBe('deny');
    expect(wc.open('smb://share/x').action).toBe('deny');
    expect(wc.open('not a url').action).toBe('deny');
    // Only https and mailto go to the system browser; the window itself is still denied.
    expect(h.opened).toEqual(['https://www.mofcom.gov.cn/', 'mailto:duban@example.gov.cn']);
  });

  it('denies every permission request and check', () => {
    const cb = vi.fn();
    h.permission.request!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(h.permission.check!({}, 'notifications')).toBe(false);
  });
});

// Last in this file: it starts main a second time, on another user-data folder.
describe('an installation from before the app:// scheme', () => {
  it('keeps loading the renderer from the file, so its database (stored per origin) stays visible', async () => {
    const oldAppData = mkdtempSync(join(tmpdir(), 'electron-main-old-'));
    try {
      mkdirSync(join(oldAppData, 'PilotDesk'), { recursive: true });
      writeFileSync(join(oldAppData, 'PilotDesk', 'storage-origin.json'), JSON.stringify({ origin: 'file://', recordedAt: '2026-03-01T08:00:00.000Z' }));
      h.paths.appData = oldAppData;
      const before = h.windows.length;
      vi.resetModules();
      await import('../../src-main/main/index');
      await vi.waitFor(() => expect(h.windows.length).toBe(before + 1));
      await vi.waitFor(() => expect(h.windows.at(-1)!.loaded).toHaveLength(1));
      expect(h.windows.at(-1)!.loaded[0]).toMatch(/renderer[\\/]index\.html$/);
      expect(h.windows.at(-1)!.loaded[0]).not.toMatch(/^app:/);
    } finally {
      rmSync(oldAppData, { recursive: true, force: true });
    }
  });
});
