/**
 * The browser harness serves the same handlers as Electron, but it is a test tool: it listens on
 * loopback only, refuses other hosts and origins, and never serves files outside the renderer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startHarness, type Harness } from '../../src-main/harness/server';
import { ok } from '../../src-main/shared/result';
import { decodeWire, encodeWire } from '../../src-main/shared/wire';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harness-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  writeFileSync(join(dir, 'chosen.bin'), new Uint8Array([1, 2, 3, 250]));
  h = await startHarness({ rendererDir: join(dir, 'renderer'), corpus: () => ok({ tasks: [] } as never) });
});
afterAll(() => h.close());

function call(path: string, opts: { method?: string; body?: string; host?: string; origin?: string } = {}) {
  return callOn(h, path, opts);
}

function callOn(h: Harness, path: string, opts: { method?: string; body?: string; host?: string; origin?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: h.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: opts.host ?? `127.0.0.1:${h.port}`, ...(opts.origin ? { origin: opts.origin } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('browser harness', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the renderer and calls handlers over the bridge', async () => {
    expect((await call('/')).body).toContain('<title>x</title>');
    const r = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'app:info', args: [] }) });
    expect(decodeWire<{ ok: boolean; value: { shell: string } }>(r.body).value.shell).toBe('harness');
  });

  it('answers file dialogs from the queue, then reads the real file', async () => {
    h.dialogQueue.push(join(dir, 'chosen.bin'));
    const r = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'file:open', args: [{ maxBytes: 10 }] }) });
    const v = decodeWire<{ ok: true; value: { name: string; bytes: Uint8Array } }>(r.body);
    expect(v.value.name).toBe('chosen.bin');
    expect([...v.value.bytes]).toEqual([1, 2, 3, 250]);
    // An empty queue is a canceled dialog.
    const c = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'file:open', args: [{ maxBytes: 10 }] }) });
    expect(decodeWire(c.body)).toEqual({ ok: true, value: null });
  });

  it('answers a multi-select dialog with several files, refuses more than asked for, and reads nothing of a too-large one', async () => {
    const path = join(dir, 'chosen.bin');
    h.dialogQueue.push([path, path]);
    const many = (maxBytes: number, maxFiles: number) => call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'file:openMany', args: [{ maxBytes, maxFiles }] }) });
    const v = decodeWire<{ ok: true; value: { name: string; bytes: Uint8Array }[] }>((await many(10, 5)).body);
    expect(v.value.map((f) => [f.name, [...f.bytes]])).toEqual([['chosen.bin', [1, 2, 3, 250]], ['chosen.bin', [1, 2, 3, 250]]]);
    h.dialogQueue.push([path, path, path]);
    expect(decodeWire<{ ok: false; error: { code: string } }>((await many(10, 2)).body).error.code).toBe('file.too_many');
    h.dialogQueue.push([path]);
    expect(decodeWire<{ ok: false; error: { code: string } }>((await many(3, 2)).body).error.code).toBe('file.too_large');
    // Canceled: an empty list.
    expect(decodeWire((await many(10, 2)).body)).toEqual({ ok: true, value: [] });
  });

  it('refuses a file larger than the cap before reading it', async () => {
    h.dialogQueue.push(join(dir, 'chosen.bin'));
    const r = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'file:open', args: [{ maxBytes: 3 }] }) });
    const v = decodeWire<{ ok: false; error: { code: string; message: string } }>(r.body);
    expect(v.error.code).toBe('file.too_large');
    expect(v.error.message).toMatch(/文件过大/);
  });

  it('refuses another host name (DNS rebinding) and a foreign origin', async () => {
    expect((await call('/', { host: 'evil.example' })).status).toBe(403);
    const r = await call('/api/invoke', { method: 'POST', origin: 'http://evil.example', body: encodeWire({ channel: 'app:info', args: [] }) });
    expect(r.status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await call(p);
      expect(r.body).not.toContain('secret');
    }
  });

  it('keeps the build\'s hashed assets cacheable only when asked (the bench\'s code cache), never the page', async () => {
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'assets', 'index-AbC.js'), 'export {};');
    const plain = await call('/assets/index-AbC.js');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('no-store');
    const cached = await startHarness({ rendererDir: join(dir, 'renderer'), corpus: () => ok({ tasks: [] } as never), cacheAssets: true });
    try {
      const js = await callOn(cached, '/assets/index-AbC.js');
      expect(js.body).toBe('export {};');
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await callOn(cached, '/')).headers['cache-control']).toBe('no-store');
      expect((await callOn(cached, '/assets/../../secret.txt')).body).not.toContain('secret');
    } finally {
      await cached.close();
    }
  });

  it('refuses unknown channels', async () => {
    const r = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'fs:readAnything', args: [] }) });
    expect(r.status).toBe(404);
  });
});

describe('opening evidence with the system viewer', () => {
  it('writes the file under a safe name and hands it to the viewer', async () => {
    const r = await call('/api/invoke', {
      method: 'POST',
      body: encodeWire({ channel: 'file:openWithSystem', args: [{ name: '../../证明材料.pdf', bytes: new TextEncoder().encode('%PDF-1.7') }] }),
    });
    const v = decodeWire<{ ok: boolean; value: { path: string } }>(r.body);
    expect(v.ok).toBe(true);
    // No folder can be named from outside: separators become _ and leading dots go.
    expect(basename(v.value.path)).toBe('_.._证明材料.pdf');
    expect(dirname(dirname(v.value.path))).toBe(tmpdir());
    expect(h.opened.at(-1)).toBe(v.value.path);
  });

  it('refuses to open a file that would run code', async () => {
    const before = h.opened.length;
    for (const name of ['setup.exe', '报告.pdf.bat', 'x.JS', 'run.sh', 'a.lnk']) {
      const r = await call('/api/invoke', { method: 'POST', body: encodeWire({ channel: 'file:openWithSystem', args: [{ name, bytes: new Uint8Array([1]) }] }) });
      const v = decodeWire<{ ok: boolean; error: { code: string; message: string } }>(r.body);
      expect(v.ok, name).toBe(false);
      expect(v.error.code).toBe('file.unsafe_type');
    }
    expect(h.opened.length).toBe(before);
  });
});

describe('dialogs for a person (dev:web)', () => {
  it('in tests the dialogs answer only from the queue: the browser endpoints do not exist', async () => {
    expect(JSON.parse((await call('/api/dialogs')).body)).toEqual({ mode: 'queue' });
    expect((await call('/api/dialog/open', { method: 'POST' })).status).not.toBe(200);
    expect(h.dialogQueue).toEqual([]);
  });

  it('with browser dialogs, a picked file answers the next open dialog and a save becomes a download of that file only', async () => {
    const b = await startHarness({ rendererDir: join(dir, 'renderer'), corpus: () => ok({ tasks: [] } as never), browserDialogs: true });
    try {
      expect(JSON.parse((await callOn(b, '/api/dialogs')).body)).toEqual({ mode: 'browser' });
      const picked = await fetch(`${b.url}api/dialog/open`, { method: 'POST', headers: { 'x-file-name': encodeURIComponent('../玄武区.pilotbundle') }, body: new Uint8Array([80, 75, 1, 2]) });
      expect(picked.status).toBe(200);
      const opened = await b.handlers['file:open']({ maxBytes: 100 });
      expect(opened.ok && opened.value && [opened.value.name, [...opened.value.bytes]]).toEqual(['_玄武区.pilotbundle', [80, 75, 1, 2]]);
      const saved = await b.handlers['file:save']({ defaultName: '批注包.pilotbundle', bytes: new Uint8Array([1, 2, 3]) });
      expect(saved.ok && !saved.value.canceled && basename(saved.value.path)).toBe('批注包.pilotbundle');
      const got = await fetch(`${b.url}api/download/${encodeURIComponent('批注包.pilotbundle')}`);
      expect([...new Uint8Array(await got.arrayBuffer())]).toEqual([1, 2, 3]);
      // A multi-select picker's files, numbered, answer one multi-select dialog together.
      for (const [i, name] of ['玄武区报送.pilotbundle', '秦淮区报送.pilotbundle'].entries()) {
        await fetch(`${b.url}api/dialog/open`, { method: 'POST', headers: { 'x-file-name': encodeURIComponent(name), 'x-many': `${i + 1}/2` }, body: new Uint8Array([i]) });
      }
      const many = await b.handlers['file:openMany']({ maxBytes: 100, maxFiles: 5 });
      expect(many.ok && many.value.map((f) => [f.name, [...f.bytes]])).toEqual([['玄武区报送.pilotbundle', [0]], ['秦淮区报送.pilotbundle', [1]]]);
      for (const bad of ['..%2Fsecret.txt', '%2E%2E%2F%2E%2E%2Fsecret.txt', 'nothing.pilotbundle']) {
        expect((await fetch(`${b.url}api/download/${bad}`)).status, bad).not.toBe(200);
      }
    } finally {
      await b.close();
    }
  });
});
