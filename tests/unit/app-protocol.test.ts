/**
 * The renderer's own scheme `app://pilot-desk/` (src-main/main/appProtocol.ts): what main serves from
 * the renderer folder, what it refuses, and which installations move to it. Plain functions over real
 * files; no Electron.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_INDEX_URL,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  rendererEntry,
  staticFilePath,
} from '../../src-main/main/appProtocol';
import { createOriginMove, entryOf, readOriginState } from '../../src-main/main/services/originMove';
import { createOriginCheck } from '../../src-main/main/security';

let base: string;
let renderer: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>试点任务批注工作台</title>');
  writeFileSync(join(renderer, 'assets', 'index-AbC123.js'), 'export const x = 1;');
  writeFileSync(join(renderer, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(renderer, 'assets', 'verify.worker-1.wasm'), new Uint8Array([0, 97, 115, 109]));
  // Beside the renderer folder, as main's own code and the user's files would be.
  writeFileSync(join(base, 'secret.txt'), 'not for the page');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => createAppProtocolHandler(renderer)(new Request(url, { method }));

describe('app:// serves the renderer folder', () => {
  it('answers the page and its assets with their content types and nosniff', async () => {
    const page = await get(APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('试点任务批注工作台');

    const js = await get('app://pilot-desk/assets/index-AbC123.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export const x = 1;');
    expect((await get('app://pilot-desk/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const wasm = await get('app://pilot-desk/assets/verify.worker-1.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('serves index.html for the bare origin, ignores query and hash, and answers HEAD without a body', async () => {
    expect(await (await get('app://pilot-desk/')).text()).toContain('<title>');
    expect((await get('app://pilot-desk/index.html?x=1#task-1')).status).toBe(200);
    const head = await get(APP_INDEX_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    ['app://pilot-desk/../secret.txt'],
    ['app://pilot-desk/%2e%2e/secret.txt'],
    ['app://pilot-desk/assets/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['app://pilot-desk/assets/..%5c..%5csecret.txt'],
    ['app://pilot-desk/index.html%00.js'],
    ['app://pilot-desk/%E0%A4%A'],
    ['app://pilot-desk/assets'],
    ['app://pilot-desk/missing.js'],
    ['app://elsewhere/index.html'],
  ])('refuses %s with 404 and never leaves the folder', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('not for the page');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405);
  });

  it('resolves paths inside the folder only', () => {
    expect(staticFilePath(renderer, '/')).toBe(join(renderer, 'index.html'));
    expect(staticFilePath(renderer, '/assets/./app.css')).toBe(join(renderer, 'assets', 'app.css'));
    expect(staticFilePath(renderer, '/assets/../../secret.txt')).toBeNull();
  });

  it('is registered standard and secure with the V8 code cache, and does not bypass the page CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, codeCache: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });
});

describe('which installations use app://', () => {
  it('keeps an installation whose data was recorded under file:// on files, and moves the others', async () => {
    expect(rendererEntry('file://')).toBe('file');
    expect(rendererEntry(null)).toBe('scheme');
    expect(rendererEntry('app://pilot-desk')).toBe('scheme');

    // As main decides at start, from the record the renderer wrote at its first start.
    const file = join(base, 'storage-origin.json');
    const record = createOriginMove({ file, backupNames: async () => [], loadScheme: () => {}, loadFile: () => {} });
    expect((await readOriginState(file)).origin).toBeNull(); // a new installation: nothing recorded yet
    expect(entryOf(await readOriginState(file))).toBe('scheme');
    await record.storageOrigin('file://'); // an installation from before this version
    expect(entryOf(await readOriginState(file))).toBe('file');
    writeFileSync(file, '{not json');
    expect((await readOriginState(file)).origin).toBeNull();
  });

  it('treats pages on app://pilot-desk as the app, and other hosts of the scheme as foreign', () => {
    const isApp = createOriginCheck(renderer);
    expect(isApp(APP_INDEX_URL)).toBe(true);
    expect(isApp('app://pilot-desk/assets/index-AbC123.js')).toBe(true);
    expect(isApp('app://evil/index.html')).toBe(false);
    expect(isApp('app://pilot-desk.evil/index.html')).toBe(false);
  });
});
