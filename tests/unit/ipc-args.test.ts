/**
 * Main trusts nothing from the page: a compromised renderer calling any channel with arguments the
 * app itself never sends is refused before a handler runs, with a value and not a throw; it cannot
 * name a path to show or prefill, nor store junk as a backup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../../src-main/main/handlers';
import { saveDialogName } from '../../src-main/main/ipcArgs';
import { createBackupStore } from '../../src-main/main/services/backups';
import type { SaveDialogOptions } from '../../src-main/main/services/files';
import { CHANNELS, type Channel, type Handlers } from '../../src-main/shared/ipc-contract';
import { MAX_ATTACHMENT_BYTES } from '../../src-main/shared/domain';
import { ok } from '../../src-main/shared/result';
import { demoBundle } from './bundle-fixtures';

let dir: string;
let handlers: Handlers;
const shown: string[] = [];
const saveDialogs: SaveDialogOptions[] = [];
let nextSavePath = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipc-args-'));
  handlers = createHandlers({
    corpus: () => ok({ tasks: [], tables: [] } as never),
    info: { name: 'PilotDesk', version: '0', shell: 'harness', platform: 'linux' },
    dialogs: {
      showOpen: async () => null,
    showOpenMany: async () => null,
      showSave: async (o) => {
        saveDialogs.push(o);
        return nextSavePath;
      },
    },
    openPath: async () => '',
    showInFolder: (p) => shown.push(p),
    storageOrigin: async (o) => o,
    backups: createBackupStore(join(dir, 'backups')),
    quitReady: () => {},
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (channel: Channel, ...args: unknown[]) => (handlers[channel] as (...a: unknown[]) => Promise<{ ok: boolean; error?: { code: string } }>)(...args);

describe('arguments at the boundary', () => {
  // For each channel, calls the app never makes: wrong arity, wrong types, extra keys, oversize.
  const junk: [Channel, unknown[]][] = [
    ['corpus:get', [1]],
    ['app:info', [{}]],
    ['backup:list', [{ dir: '/' }]],
    ['file:open', [{ maxBytes: -1 }]],
    ['file:open', [{ maxBytes: 1e12 }]],
    ['file:open', [{ maxBytes: 10, filters: [{ name: 'x', extensions: ['../..'] }] }]],
    ['file:open', [{ maxBytes: 10, defaultPath: 'C:\\Windows' }]],
    ['file:openMany', [{ maxBytes: 10 }]],
    ['file:openMany', [{ maxBytes: 10, maxFiles: 1000 }]],
    ['file:openMany', [{ maxBytes: 10, maxFiles: 2, multiple: true }]],
    ['file:save', [{ defaultName: 'a.txt', bytes: 'not bytes' }]],
    ['file:save', [{ defaultName: 'a.txt', bytes: new Uint8Array(1), filters: [{ name: 'x', extensions: ['bat'] }] }]],
    ['file:save', [{ defaultName: 'x'.repeat(300), bytes: new Uint8Array(1) }]],
    ['file:openWithSystem', [{ name: 'a.pdf', bytes: new Uint8Array(MAX_ATTACHMENT_BYTES + 1) }]],
    ['file:openWithSystem', [{ name: 42, bytes: new Uint8Array(1) }]],
    ['app:storageOrigin', ['javascript:alert(1)']],
    ['app:storageOrigin', [{}]],
    ['origin:handOver', [{ origin: 'file://', backup: '../../etc/passwd'.repeat(10), profile: null }]],
    ['origin:handOver', [{ origin: 'file://', backup: null, profile: { name: '张三', unitCode: '320102', language: 'zh-CN', role: 'admin' } }]],
    ['origin:moved', [{ origin: 'app://pilot-desk', ok: 'yes' }]],
    ['report:export', [{ input: {}, format: 'docx', defaultName: 'a' }]],
    ['report:export', [{ input: { kind: 'district' }, format: 'exe', defaultName: 'a' }]],
    ['matrix:export', [{ units: [], annotations: [], asOf: '2025-01-01', sort: { key: 'unit:../x', dir: 'asc' }, defaultName: 'a' }]],
    ['matrix:export', [{ units: [], annotations: [{ taskId: 'T1-01', unitCode: '320102', status: 'finished', deadline: null }], asOf: '2025-01-01', sort: { key: 'task', dir: 'asc' }, defaultName: 'a' }]],
    ['circular:export', [{ input: { round: {}, submissions: [], reviews: [], annotations: [], units: [] }, defaultName: 'a' }]],
    ['circular:export', [{ input: { submissions: [], reviews: [], annotations: [], units: [] }, defaultName: 'a', path: '/etc/x.docx' }]],
    ['file:showInFolder', [{ path: '/' }]],
    ['file:showInFolder', ['x'.repeat(5000)]],
    ['backup:write', [{ bytes: [1, 2, 3] }]],
    ['backup:write', [{ bytes: new Uint8Array(1), kind: 'evil' }]],
    ['backup:read', [{ name: 'a', extra: 1 }]],
    ['backup:remove', [{}]],
    ['app:quitReady', [{ phase: 'later' }]],
    ['app:quitReady', [JSON.parse('{"__proto__": {"phase": "done"}}')]],
    ['exchange:get', [{ folder: '/etc' }]],
    ['exchange:choose', [{ path: '/etc' }]],
    ['exchange:write', [{ name: 'a.pilotbundle', bytes: new Uint8Array(1), folder: '/tmp' }]],
    ['exchange:write', [{ name: 'x'.repeat(300), bytes: new Uint8Array(1) }]],
    ['exchange:collect', [{ maxFiles: 1000, maxBytes: 10 }]],
    ['exchange:collect', [{ maxFiles: 10, maxBytes: 10, dir: '..' }]],
    ['exchange:taken', [{ sha256: ['../etc/passwd'] }]],
  ];

  it('covers every channel', () => {
    expect(new Set(junk.map(([c]) => c))).toEqual(new Set(CHANNELS));
  });

  it.each(junk)('%s refuses %j', async (channel, args) => {
    const r = await call(channel, ...args);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('ipc.bad_request');
  });

  it('answers well-formed calls (the check lets the app\'s own calls through)', async () => {
    expect((await call('app:info')).ok).toBe(true);
    expect((await call('app:quitReady', { phase: 'started' })).ok).toBe(true);
    expect((await call('file:open', { title: '选择批注包', filters: [{ name: '批注包', extensions: ['pilotbundle'] }], maxBytes: 1024 })).ok).toBe(true);
  });
});

describe('paths never come from the page', () => {
  it('shows in the folder only a file main saved, not any path the page names', async () => {
    for (const p of ['\\\\evil-host\\share\\payload.exe', 'C:\\Windows\\System32', '/etc/passwd']) {
      const r = await call('file:showInFolder', p);
      expect(r.error?.code, p).toBe('file.not_saved_here');
    }
    expect(shown).toEqual([]);
    nextSavePath = join(dir, '批注包-玄武区.pilotbundle');
    const saved = await call('file:save', { defaultName: '批注包-玄武区.pilotbundle', bytes: demoBundle() });
    expect(saved.ok).toBe(true);
    expect((await call('file:showInFolder', nextSavePath)).ok).toBe(true);
    expect(shown).toEqual([nextSavePath]);
  });

  it.each([
    ['a path into the Startup folder', 'C:\\Users\\a\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\run.bat', 'run.bat.bin', 'bin'],
    ['a shortcut', '报告.lnk', '报告.lnk.bin', 'bin'],
    ['a bundle', '批注包-玄武区-2026-12-02.pilotbundle', '批注包-玄武区-2026-12-02.pilotbundle', 'pilotbundle'],
    ['a saved evidence PDF named with folders', '../../细则.pdf', '细则.pdf', 'pdf'],
    ['a name with a bidi override', '通知\u202Etxt.exe', '通知txt.exe.bin', 'bin'],
  ])('a save dialog for %s gets a plain name with an allowed extension', (_, requested, name, ext) => {
    const o = saveDialogName(requested);
    expect(o.defaultName).toBe(name);
    expect(o.filters).toEqual([{ name: expect.any(String), extensions: [ext] }]);
  });

  it('file:save opens the dialog with main\'s name and filter, not the page\'s', async () => {
    nextSavePath = join(dir, 'x.bin');
    await call('file:save', { defaultName: 'C:\\Startup\\run.bat', bytes: new Uint8Array([1]) });
    expect(saveDialogs.at(-1)).toEqual({ title: undefined, defaultName: 'run.bat.bin', filters: [{ name: '文件', extensions: ['bin'] }] });
  });
});

describe('backup:write', () => {
  it('stores a bundle and refuses anything without a bundle\'s shape, writing nothing', async () => {
    const count = () => (existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')).length : 0);
    const before = count();
    for (const bytes of [new Uint8Array(64 * 1024), new TextEncoder().encode('PK\u0003\u0004 junk')]) {
      const r = await call('backup:write', { bytes });
      expect(r.error?.code).toBe('backup.not_bundle');
    }
    expect(count()).toBe(before);
    expect((await call('backup:write', { bytes: demoBundle() })).ok).toBe(true);
    expect(readdirSync(join(dir, 'backups')).filter((n) => n.endsWith('.pilotbundle')).length).toBe(1);
  });
});
