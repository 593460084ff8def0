/**
 * The renderer's own scheme, `app://pilot-desk/`: the built renderer served from its folder by main.
 *
 * Why not `file://`: Chromium keeps no V8 code cache for scripts loaded from files, so every start
 * compiles the app's 1.2 MB of first-chunk JavaScript from scratch. A standard, secure custom scheme
 * registered with `codeCache: true` (Electron ≥ 28) gets the code cache that http(s) pages have.
 *
 * Everything here is a plain function (tested in Node); index.ts only hands them to electron's
 * `protocol`. Which entry a start uses is decided by the data already on the machine:
 * `rendererEntry` keeps an installation whose database lives under `file://` there (IndexedDB is per
 * origin: moving would show an empty app), so only new installations start on the new scheme.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pilot-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
/** The origin Chromium reports for pages loaded from files (what earlier versions recorded). */
export const FILE_ORIGIN = 'file://';

/**
 * Privileges of the scheme (protocol.registerSchemesAsPrivileged): standard (relative URLs, an origin,
 * IndexedDB), secure (like https: workers, crypto.subtle), fetch for the app's own assets, and the
 * V8 code cache. Not bypassCSP: the page's Content-Security-Policy applies as on `file://`.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** Content types of what the renderer build contains. */
export const STATIC_MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/**
 * The file under `root` that a URL path names, or null if it names none: `..` segments, encoded
 * separators or NUL, anything that resolves outside `root`. `/` is `index.html`.
 */
export function staticFilePath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  const base = resolve(root);
  const file = resolve(base, ...(parts.length ? parts : ['index.html']));
  return file.startsWith(base + sep) ? file : null;
}

/** The content type to send for a file, by its extension; unknown kinds are plain bytes. */
export function staticContentType(file: string): string {
  return STATIC_MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The handler for `protocol.handle(APP_SCHEME, …)`: GET/HEAD of files under `rendererDir` on host
 * `pilot-desk`; everything else is 404 (other hosts, missing files, escapes) or 405 (other methods).
 */
export function createAppProtocolHandler(
  rendererDir: string,
  read: (path: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    const file = staticFilePath(rendererDir, url.pathname);
    if (!file) return notFound();
    let bytes: Uint8Array;
    try {
      bytes = await read(file);
    } catch {
      return notFound(); // missing, or a folder
    }
    const headers = { 'content-type': staticContentType(file), 'x-content-type-options': 'nosniff' };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
  };
}

/**
 * Where the window loads the renderer from. The app's data is tied to the origin recorded at the
 * first start (`storage-origin.json`): an installation that recorded `file://` stays on files, so its
 * database stays visible; a new one (nothing recorded) or one that recorded the scheme uses it.
 */
export function rendererEntry(recordedOrigin: string | null): 'file' | 'scheme' {
  return recordedOrigin === FILE_ORIGIN ? 'file' : 'scheme';
}
