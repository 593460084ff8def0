/**
 * The browser harness: serves the built renderer on 127.0.0.1 and the same main-side handlers over
 * HTTP, so tests drive the real UI, the real IndexedDB and the real main code in headless Chromium.
 * Only the transport differs from Electron. File dialogs answer from a queue the test fills.
 * A test and development tool, not a product: it listens on loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createHandlers, type HandlerDeps } from '../main/handlers';
import { createBackupStore } from '../main/services/backups';
import { createExchangeFolder } from '../main/services/exchange';
import { createQuitGuard, type QuitGuard } from '../main/quitGuard';
import { isChannel, type Handlers, type MainEvent, type MainEvents } from '../shared/ipc-contract';
import { normaliseFileName } from '../shared/evidence/fileType';
import { fail } from '../shared/result';
import { decodeWire, encodeWire } from '../shared/wire';
import type { Dialogs } from '../main/services/files';
import { staticContentType, staticFilePath } from '../main/appProtocol';
import { appVersion } from '../main/services/version';

/** What the next dialog answers: a path, or null for "canceled". */
/** A chosen path, several (a multi-select open dialog), or null (canceled). */
export type DialogAnswer = string | string[] | null;

export interface HarnessOptions {
  rendererDir: string;
  corpus: HandlerDeps['corpus'];
  port?: number;
  /** The origin "recorded" for the app's data (tests simulate a moved origin with it). */
  recordedOrigin?: string;
  /** Largest request body accepted (bytes travel base64-encoded). */
  maxBodyBytes?: number;
  /** Backup folder; default: a fresh temp folder per harness, deleted on close. */
  backupDir?: string;
  /** Clock that names backups and exchange files (tests move it). */
  now?: () => Date;
  /**
   * Main's settings file (the exchange folder and what was taken from it); default: in a fresh
   * temp folder per harness, deleted on close.
   */
  settingsFile?: string;
  /** Quit handshake timeouts (quitGuard.ts defaults otherwise). */
  quitAckTimeoutMs?: number;
  quitDoneTimeoutMs?: number;
  /**
   * Serve the build's hashed assets (`/assets/…`) as immutable, so Chromium keeps them and its V8
   * code cache, as Electron does for the app's `app://` scheme (registered with `codeCache`). Off by
   * default: tests always get what is on disk. The benchmark turns it on; index.html stays no-store.
   */
  cacheAssets?: boolean;
  /**
   * For a person trying the app (`npm run dev:web`): open dialogs are the browser's file picker
   * (the page sends the chosen file to `/api/dialog/open`, which queues it for the next open
   * dialog) and save dialogs become downloads (`/api/download/<name>`). Off in tests, whose
   * dialogs answer from `dialogQueue`. Everything after the dialog is the same code either way.
   */
  browserDialogs?: boolean;
}

/** How a simulated window close ended: the page finished, never answered, took too long, or none was open. */
export type QuitOutcome = 'done' | 'no-answer' | 'backup-timeout' | 'no-page' | 'page-gone';

export interface Harness {
  url: string;
  port: number;
  /** Answers for the next dialogs, in order; an empty queue answers "canceled". */
  dialogQueue: DialogAnswer[];
  /** Paths that "the system viewer" was asked to open (the harness records instead of opening). */
  opened: string[];
  /** Paths that "the file manager" was asked to show. */
  shown: string[];
  handlers: Handlers;
  /** The backup folder this harness's `backup:*` handlers use (the app's <userData>/backups). */
  backupDir: string;
  /** Main's settings file (the app's <userData>/settings.json). */
  settingsFile: string;
  /**
   * Closes "the window" as Electron main does: sends `app:quitRequested` to the open pages (over
   * server-sent events, `/api/events`) and resolves when main's QuitGuard would close the window.
   */
  requestQuit(): Promise<QuitOutcome>;
  /** Sends one of main's events to the open pages; returns how many pages got it. */
  emit<E extends MainEvent>(event: E, payload: MainEvents[E]): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return readBodyBytes(req, max).then((b) => b.toString('utf8'));
}

function readBodyBytes(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', cache = 'no-store'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': cache, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const root = resolve(options.rendererDir);
  const maxBody = options.maxBodyBytes ?? 400 * 1024 * 1024;
  const dialogQueue: DialogAnswer[] = [];
  const pickedMany: string[] = [];
  const browserDialogs = options.browserDialogs === true;
  const transferDir = browserDialogs ? await mkdtemp(join(tmpdir(), 'pilotdesk-browser-files-')) : '';
  const downloadsDir = browserDialogs ? join(transferDir, 'downloads') : '';
  if (browserDialogs) await mkdir(downloadsDir);
  const dialogs: Dialogs = {
    showOpen: async () => {
      const a = dialogQueue.shift() ?? null;
      return Array.isArray(a) ? (a[0] ?? null) : a;
    },
    showOpenMany: async () => {
      const a = dialogQueue.shift() ?? null;
      return a === null ? null : Array.isArray(a) ? a : [a];
    },
    // As a download: the file is written under the dialog's name, which the page then downloads.
    showSave: async (o) => {
      if (browserDialogs) return join(downloadsDir, o.defaultName);
      const a = dialogQueue.shift() ?? null;
      return typeof a === 'string' ? a : null;
    },
  };
  let port = 0;
  const opened: string[] = [];
  const shown: string[] = [];
  let recordedOrigin: string | null = options.recordedOrigin ?? null;
  const ownBackupDir = options.backupDir === undefined;
  const backupDir = options.backupDir ?? (await mkdtemp(join(tmpdir(), 'pilotdesk-backups-')));
  const ownSettingsDir = options.settingsFile === undefined ? await mkdtemp(join(tmpdir(), 'pilotdesk-settings-')) : null;
  const settingsFile = options.settingsFile ?? join(ownSettingsDir!, 'settings.json');
  // The folder dialog: from the queue in tests; for a person (browser dialogs), a folder of the harness.
  const chooseFolder = async (): Promise<string | null> => {
    if (browserDialogs) {
      const dir = join(transferDir, 'exchange');
      await mkdir(dir, { recursive: true });
      return dir;
    }
    const a = dialogQueue.shift() ?? null;
    return typeof a === 'string' ? a : null;
  };
  const eventClients = new Set<ServerResponse>();
  const emit = <E extends MainEvent>(event: E, payload: MainEvents[E]): number => {
    for (const c of eventClients) c.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    return eventClients.size;
  };
  let quitGuard: QuitGuard | null = null;
  const handlers = createHandlers({
    quitReady: (phase) => quitGuard?.onPhase(phase),
    backups: createBackupStore(backupDir, { now: options.now }),
    storageOrigin: async (origin) => (recordedOrigin ??= origin),
    showInFolder: (path) => shown.push(path),
    openPath: async (path) => {
      opened.push(path);
      return '';
    },
    corpus: options.corpus,
    info: { name: 'PilotDesk', version: appVersion(), shell: 'harness', platform: process.platform },
    dialogs,
    exchange: { folder: createExchangeFolder({ settingsFile, now: options.now }), chooseFolder },
  });

  // Same-origin only: a page elsewhere (or a DNS-rebinding host name) must not reach the handlers.
  const trusted = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    const origin = req.headers.origin;
    if (host !== `127.0.0.1:${port}`) return false;
    return origin === undefined || origin === `http://127.0.0.1:${port}`;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!trusted(req)) return send(res, 403, encodeWire(fail('ipc.forbidden_sender', '请求来源不受信任，已拒绝。')));
      if (url.pathname === '/api/invoke' && req.method === 'POST') {
        let payload: { channel?: unknown; args?: unknown };
        try {
          payload = decodeWire(await readBody(req, maxBody));
        } catch (e) {
          return send(res, 400, encodeWire(fail('ipc.bad_request', '请求无效。', String(e))));
        }
        if (!isChannel(payload.channel) || !Array.isArray(payload.args)) {
          return send(res, 404, encodeWire(fail('ipc.unknown_channel', '未知的请求。')));
        }
        try {
          const fn = handlers[payload.channel] as (...a: unknown[]) => Promise<unknown>;
          return send(res, 200, encodeWire(await fn(...payload.args)));
        } catch (e) {
          return send(res, 200, encodeWire(fail('internal', '程序内部错误，操作未完成。', String(e))));
        }
      }
      if (url.pathname === '/api/dialogs' && req.method === 'GET') {
        return send(res, 200, JSON.stringify({ mode: browserDialogs ? 'browser' : 'queue' }));
      }
      if (browserDialogs && url.pathname === '/api/dialog/open' && req.method === 'POST') {
        // The browser's file picker answered: queue its file (or a cancel) for the open dialog.
        if (req.headers['x-canceled'] === '1') {
          dialogQueue.push(null);
          return send(res, 200, '{}');
        }
        let bytes: Buffer;
        try {
          bytes = await readBodyBytes(req, maxBody);
        } catch (e) {
          return send(res, 413, encodeWire(fail('file.too_large', '文件过大。', String(e))));
        }
        const name = normaliseFileName(decodeURIComponent(String(req.headers['x-file-name'] ?? 'file')));
        const dir = await mkdtemp(join(transferDir, 'picked-'));
        await writeFile(join(dir, name), bytes);
        // A multi-select picker sends its files one request each (`x-many: i/n`); the last queues them all.
        const many = /^(\d{1,3})\/(\d{1,3})$/.exec(String(req.headers['x-many'] ?? ''));
        if (many) {
          pickedMany.push(join(dir, name));
          if (many[1] === many[2]) dialogQueue.push(pickedMany.splice(0));
        } else dialogQueue.push(join(dir, name));
        return send(res, 200, '{}');
      }
      if (browserDialogs && url.pathname.startsWith('/api/download/') && req.method === 'GET') {
        const name = decodeURIComponent(url.pathname.slice('/api/download/'.length));
        if (name !== basename(name) || name !== normaliseFileName(name)) return send(res, 403, 'forbidden', 'text/plain');
        try {
          const body = await readFile(join(downloadsDir, name));
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
            'cache-control': 'no-store',
          });
          return res.end(body);
        } catch {
          return send(res, 404, 'not found', 'text/plain');
        }
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        eventClients.add(res);
        req.on('close', () => eventClients.delete(res));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
      // The same resolver as main's app:// handler: nothing outside the renderer folder.
      const file = staticFilePath(root, url.pathname);
      if (!file) return send(res, 403, 'forbidden', 'text/plain');
      try {
        const info = await stat(file);
        const path = info.isDirectory() ? join(file, 'index.html') : file;
        const body = await readFile(path);
        const immutable = options.cacheAssets && url.pathname.startsWith('/assets/');
        return send(res, 200, body, staticContentType(path), immutable ? 'public, max-age=31536000, immutable' : 'no-store');
      } catch {
        return send(res, 404, 'not found', 'text/plain');
      }
    })();
  });

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    dialogQueue,
    opened,
    shown,
    handlers,
    backupDir,
    settingsFile,
    emit,
    requestQuit: () =>
      new Promise<QuitOutcome>((done) => {
        let why: QuitOutcome = 'done';
        quitGuard = createQuitGuard({
          request: () => emit('app:quitRequested', null) > 0,
          close: () => {
            quitGuard = null;
            done(why);
          },
          log: (event, data) => {
            if (event === 'quit.close') why = data?.why as QuitOutcome;
          },
          ackTimeoutMs: options.quitAckTimeoutMs,
          doneTimeoutMs: options.quitDoneTimeoutMs,
        });
        quitGuard.onClose({ preventDefault: () => {} });
      }),
    close: async () => {
      for (const c of eventClients) c.end();
      await new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      });
      if (ownBackupDir) await rm(backupDir, { recursive: true, force: true });
      if (ownSettingsDir) await rm(ownSettingsDir, { recursive: true, force: true });
      if (transferDir) await rm(transferDir, { recursive: true, force: true });
    },
  };
}
