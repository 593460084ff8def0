/**
 * Main's exchange folder (services/exchange.ts), in Node on a temp folder: what an office sharing
 * a network drive or a synchronised folder relies on — only bundle files directly in the folder are
 * offered, nothing outside it is ever read or written, a written file never replaces another, and
 * what was taken here is not offered again (also after a restart of the app).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExchangeFolder } from '../../src-main/main/services/exchange';
import { createHandlers } from '../../src-main/main/handlers';
import type { Result } from '../../src-main/shared/result';
import { demoBundle } from './bundle-fixtures';

const val = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const code = (r: Result<unknown>) => (r.ok ? null : r.error.code);

let root: string;
let folder: string;
let settingsFile: string;
const at = new Date('2026-12-03T01:30:00Z'); // 09:30 in Beijing
const limits = { maxFiles: 50, maxBytes: 64 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024 };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'exchange-unit-'));
  folder = join(root, 'share');
  mkdirSync(folder);
  settingsFile = join(root, 'user-data', 'settings.json');
  mkdirSync(join(root, 'user-data'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const service = () => createExchangeFolder({ settingsFile, now: () => at });

async function chosen() {
  const x = service();
  expect((await x.setFolder(folder)).ok).toBe(true);
  return x;
}

describe('the exchange folder', () => {
  it('remembers the chosen folder in the settings file, and refuses what is not a folder', async () => {
    const x = service();
    expect(await x.folder()).toBeNull();
    expect(code(await x.collect(limits))).toBe('exchange.no_folder');
    writeFileSync(join(root, 'a-file.txt'), 'x');
    expect(code(await x.setFolder(join(root, 'a-file.txt')))).toBe('exchange.bad_folder');
    expect(code(await x.setFolder('relative/share'))).toBe('exchange.bad_folder');
    expect(code(await x.setFolder(join(root, 'missing')))).toBe('exchange.unreachable');
    expect(await x.folder()).toBeNull();
    expect((await x.setFolder(folder)).ok).toBe(true);
    // A new process (the app started again) reads it back from the settings file.
    expect(await service().folder()).toBe(folder);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).exchange.folder).toBe(folder);
  });

  it('lists only bundle files directly in the folder: no sub-folders, other files or links leading out', async () => {
    const x = await chosen();
    const bundle = demoBundle({ units: 1, seed: 1 });
    writeFileSync(join(folder, '报送-玄武区.pilotbundle'), bundle);
    writeFileSync(join(folder, 'notes.txt'), 'not a bundle');
    writeFileSync(join(folder, '报送.pilotbundle.123.tmp'), bundle.subarray(0, 100));
    writeFileSync(join(folder, '.hidden.pilotbundle'), bundle);
    mkdirSync(join(folder, 'old'));
    writeFileSync(join(folder, 'old', '报送-秦淮区.pilotbundle'), demoBundle({ units: 1, seed: 2 }));
    mkdirSync(join(folder, 'dir.pilotbundle'));
    // A link to a bundle outside the folder is not followed; one to a file in the folder is.
    const outside = join(root, 'secret.pilotbundle');
    writeFileSync(outside, demoBundle({ units: 1, seed: 3 }));
    symlinkSync(outside, join(folder, 'link-out.pilotbundle'));
    symlinkSync(join(root), join(folder, 'up.pilotbundle'));
    writeFileSync(join(folder, 'inside.bin'), demoBundle({ units: 1, seed: 4 }));
    symlinkSync(join(folder, 'inside.bin'), join(folder, 'link-in.pilotbundle'));
    // An empty file is a name another office reserved and is still writing: not offered yet.
    writeFileSync(join(folder, '报送-鼓楼区.pilotbundle'), '');

    const r = await x.collect(limits);
    expect(r.ok).toBe(true);
    expect(val(r).files.map((f) => f.name).sort()).toEqual(['link-in.pilotbundle', '报送-玄武区.pilotbundle']);
    expect(val(r).refused).toEqual([]);
    const xw = val(r).files.find((f) => f.name === '报送-玄武区.pilotbundle')!;
    expect(Buffer.from(xw.bytes).equals(Buffer.from(bundle))).toBe(true);
    expect(xw.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names a file that fails the bundle precheck or the size cap, without sending its bytes', async () => {
    const x = await chosen();
    writeFileSync(join(folder, '坏文件.pilotbundle'), 'this is not a zip at all');
    writeFileSync(join(folder, '大文件.pilotbundle'), demoBundle({ units: 2, seed: 1 }));
    writeFileSync(join(folder, '好文件.pilotbundle'), demoBundle({ units: 1, seed: 1 }));
    const big = readFileSync(join(folder, '大文件.pilotbundle')).byteLength;
    const r = await x.collect({ ...limits, maxBytes: big - 1 });
    expect(val(r).files.map((f) => f.name)).toEqual(['好文件.pilotbundle']);
    const refused = new Map(val(r).refused.map((f) => [f.name, f.reason]));
    expect([...refused.keys()].sort()).toEqual(['坏文件.pilotbundle', '大文件.pilotbundle']);
    expect(refused.get('大文件.pilotbundle')).toContain('文件过大');
    expect(refused.get('坏文件.pilotbundle')).toMatch(/批注包|ZIP|不是/);
  });

  it('remembers what was taken here by content hash, also across a restart and under another name', async () => {
    const x = await chosen();
    const bundle = demoBundle({ units: 1, seed: 1 });
    writeFileSync(join(folder, 'a.pilotbundle'), bundle);
    writeFileSync(join(folder, 'b.pilotbundle'), demoBundle({ units: 1, seed: 2 }));
    const first = await x.collect(limits);
    expect(val(first).files).toHaveLength(2);
    const a = val(first).files.find((f) => f.name === 'a.pilotbundle')!;
    expect((await x.markTaken([a.sha256])).ok).toBe(true);
    // The same bytes copied under another name are the same file.
    writeFileSync(join(folder, 'a-copy.pilotbundle'), bundle);
    const again = await service().collect(limits);
    expect(val(again).files.map((f) => f.name)).toEqual(['b.pilotbundle']);
    expect(code(await x.markTaken(['../../etc/passwd']))).toBe('exchange.bad_hash');
  });

  it('writes atomically under a name with round, unit and time, never over another file, and never outside', async () => {
    const x = await chosen();
    const bundle = demoBundle({ units: 1, seed: 1 });
    const one = await x.write(bundle, '报送-2026年11月月报-玄武区.pilotbundle');
    expect(one.ok).toBe(true);
    expect(val(one).name).toBe('报送-2026年11月月报-玄武区-20261203-0930.pilotbundle');
    // Another office wrote a file of that name at the same minute: ours gets the next one.
    const second = await x.write(demoBundle({ units: 1, seed: 2 }), '报送-2026年11月月报-玄武区.pilotbundle');
    expect(val(second).name).toBe('报送-2026年11月月报-玄武区-20261203-0930-2.pilotbundle');
    expect(Buffer.from(readFileSync(val(one).path)).equals(Buffer.from(bundle))).toBe(true);
    // A name with folders in it stays a plain name in the folder.
    const sneaky = await x.write(bundle, '../../../outside.pilotbundle');
    expect(val(sneaky).path).toBe(join(folder, 'outside-20261203-0930.pilotbundle'));
    expect(readdirSync(root).sort()).toEqual(['share', 'user-data']);
    // Only a bundle is written, and no temporary file stays behind.
    expect(code(await x.write(new TextEncoder().encode('MZ program'), 'x.pilotbundle'))).toBe('exchange.not_bundle');
    expect(readdirSync(folder).sort()).toEqual([
      'outside-20261203-0930.pilotbundle',
      '报送-2026年11月月报-玄武区-20261203-0930-2.pilotbundle',
      '报送-2026年11月月报-玄武区-20261203-0930.pilotbundle',
    ]);
    // What this installation wrote itself is not offered back to it.
    expect(val(await x.collect(limits)).files).toEqual([]);
  });

  it('answers through the IPC handlers: the folder comes from the dialog, never from the page', async () => {
    const dialogAnswers: (string | null)[] = [null, folder];
    const handlers = createHandlers({
      corpus: () => ({ ok: false, error: { code: 'x', message: 'x' } }),
      info: { name: 'PilotDesk', version: '0', shell: 'harness', platform: 'linux' },
      dialogs: { showOpen: async () => null, showOpenMany: async () => null, showSave: async () => null },
      openPath: async () => '',
      showInFolder: () => {},
      storageOrigin: async (o) => o,
      backups: {} as never,
      quitReady: () => {},
      exchange: { folder: service(), chooseFolder: async () => dialogAnswers.shift() ?? null },
    });
    expect(await handlers['exchange:choose']({})).toEqual({ ok: true, value: null });
    expect(val(await handlers['exchange:get']())).toEqual({ folder: null });
    expect(val(await handlers['exchange:choose']({}))).toEqual({ folder });
    const written = await handlers['exchange:write']({ name: '审核意见-月报-玄武区.pilotbundle', bytes: demoBundle({ units: 1, seed: 1 }) });
    expect(val(written)).toEqual({ canceled: false, path: join(folder, '审核意见-月报-玄武区-20261203-0930.pilotbundle') });
    // "Show in folder" accepts the file main wrote there.
    expect((await handlers['file:showInFolder'](written.ok && !written.value.canceled ? written.value.path : '')).ok).toBe(true);
    // The page's arguments are checked: no folder can be named through them.
    const bad = await (handlers['exchange:collect'] as (...a: unknown[]) => Promise<{ ok: boolean; error?: { code: string } }>)({ maxFiles: 5, maxBytes: 10, folder: '/etc' });
    expect(bad.error?.code).toBe('ipc.bad_request');
  });
});
