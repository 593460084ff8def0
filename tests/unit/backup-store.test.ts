/**
 * The main-side backup folder: names from the clock, atomic writes (no temp file left, nothing
 * replaced), only backup names readable or removable (no path traversal), size cap, and the
 * `backup:*` handlers bound over it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { zipSync } from 'fflate';
import { join } from 'node:path';
import { createBackupStore, type BackupStore } from '../../src-main/main/services/backups';
import { createHandlers, type HandlerDeps } from '../../src-main/main/handlers';
import { startHarness } from '../../src-main/harness/server';
import { ok } from '../../src-main/shared/result';
import { decodeWire, encodeWire } from '../../src-main/shared/wire';

let root: string;
let dir: string;
let clock: Date;
let store: BackupStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'backups-test-'));
  dir = join(root, 'userData', 'backups');
  clock = new Date('2025-06-30T08:00:00.000Z');
  store = createBackupStore(dir, { now: () => clock });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
/** The smallest thing main stores as a backup through IPC: a whole ZIP with a manifest. */
const bundleShaped = () => zipSync({ 'manifest.json': new TextEncoder().encode('{}') });

describe('backup store', () => {
  it('writes a backup named from the clock, creating the folder, and leaves no temp file', async () => {
    const w = await store.write(bytes(100));
    expect(w).toEqual(ok({ name: 'pilotdesk-20250630-080000-000.pilotbundle', size: 100, at: clock.toISOString(), mtime: expect.any(String), kind: 'auto' }));
    expect(readdirSync(dir)).toEqual(['pilotdesk-20250630-080000-000.pilotbundle']);
    expect(readFileSync(join(dir, 'pilotdesk-20250630-080000-000.pilotbundle'))).toEqual(Buffer.from(bytes(100)));
  });

  it('never replaces a backup: the same millisecond moves on by one', async () => {
    const a = await store.write(bytes(10, 1));
    const b = await store.write(bytes(10, 2));
    const c = await store.write(bytes(10, 3), 'restore');
    expect([a, b, c].map((r) => r.ok && r.value.name)).toEqual([
      'pilotdesk-20250630-080000-000.pilotbundle',
      'pilotdesk-20250630-080000-001.pilotbundle',
      'pilotdesk-20250630-080000-000-restore.pilotbundle',
    ]);
    expect(readFileSync(join(dir, 'pilotdesk-20250630-080000-000.pilotbundle'))[0]).toBe(1);
  });

  it('serialises concurrent writes without losing one', async () => {
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => store.write(bytes(5, i))));
    expect(new Set(rs.map((r) => r.ok && r.value.name)).size).toBe(8);
    expect(readdirSync(dir).filter((n) => n.endsWith('.pilotbundle'))).toHaveLength(8);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('lists backups newest first with size and time, ignoring other files and folders', async () => {
    await store.write(bytes(3));
    clock = new Date('2025-07-01T09:30:15.250Z');
    await store.write(bytes(4), 'restore');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, '.pilotdesk-backup-1-abc.tmp'), 'half');
    writeFileSync(join(dir, 'pilotdesk-20250230-080000-000.pilotbundle'), 'bad date');
    mkdirSync(join(dir, 'pilotdesk-20250101-000000-000.pilotbundle'));
    const l = await store.list();
    expect(l.ok && l.value.map(({ name, size, at, kind }) => ({ name, size, at, kind }))).toEqual([
      { name: 'pilotdesk-20250701-093015-250-restore.pilotbundle', size: 4, at: '2025-07-01T09:30:15.250Z', kind: 'restore' },
      { name: 'pilotdesk-20250630-080000-000.pilotbundle', size: 3, at: '2025-06-30T08:00:00.000Z', kind: 'auto' },
    ]);
  });

  it('lists an empty (new) folder', async () => {
    expect(await store.list()).toEqual(ok([]));
  });

  it('sweeps temp files left by a crash, but not fresh ones', async () => {
    mkdirSync(dir, { recursive: true });
    const stale = join(dir, '.pilotdesk-backup-99-dead.tmp');
    const fresh = join(dir, '.pilotdesk-backup-99-live.tmp');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'half');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(stale, old, old);
    await store.write(bytes(1));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('reads a backup back, with a size cap', async () => {
    const w = await store.write(bytes(64, 9));
    if (!w.ok) throw new Error(w.error.message);
    const r = await store.read(w.value.name);
    expect(r.ok && Array.from(r.value.bytes)).toEqual(Array.from(bytes(64, 9)));
    const big = await store.read(w.value.name, 10);
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error.code).toBe('backup.too_large');
    const gone = await store.read('pilotdesk-20200101-000000-000.pilotbundle');
    expect(!gone.ok && gone.error.code).toBe('backup.not_found');
  });

  it.each([
    '../secret.txt',
    '../pilotdesk-20250630-080000-000.pilotbundle',
    '..\\pilotdesk-20250630-080000-000.pilotbundle',
    '/etc/passwd',
    'sub/pilotdesk-20250630-080000-000.pilotbundle',
    'pilotdesk-20250630-080000-000.pilotbundle/../../secret.txt',
    '%2e%2e/secret.txt',
    '.',
    '',
  ])('refuses to read or remove %j', async (name) => {
    mkdirSync(join(root, 'userData'), { recursive: true });
    writeFileSync(join(root, 'userData', 'secret.txt'), 'secret');
    const r = await store.read(name);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('backup.bad_name');
      expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const d = await store.remove(name);
    expect(!d.ok && d.error.code).toBe('backup.bad_name');
    expect(existsSync(join(root, 'userData', 'secret.txt'))).toBe(true);
  });

  it('does not follow a symlink that has a backup name', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, 'outside.bin'), 'outside');
    const link = join(dir, 'pilotdesk-20250630-080000-000.pilotbundle');
    try {
      symlinkSync(join(root, 'outside.bin'), link);
    } catch {
      return; // no symlinks here (Windows without privilege)
    }
    expect((await store.read('pilotdesk-20250630-080000-000.pilotbundle')).ok).toBe(false);
    expect(await store.list()).toEqual(ok([]));
  });

  it('removes a backup; removing it again is not an error', async () => {
    const w = await store.write(bytes(2));
    if (!w.ok) throw new Error(w.error.message);
    expect(await store.remove(w.value.name)).toEqual(ok({ removed: true }));
    expect(await store.remove(w.value.name)).toEqual(ok({ removed: false }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an empty backup', async () => {
    const r = await store.write(new Uint8Array(0));
    expect(!r.ok && r.error.code).toBe('backup.empty');
  });

  it('fails with a Chinese message, and no temp file, when the folder cannot be written', async () => {
    writeFileSync(join(root, 'file-not-folder'), 'x');
    const blocked = createBackupStore(join(root, 'file-not-folder', 'backups'));
    const r = await blocked.write(bytes(5));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/无法写入备份/);
  });
});

describe('backup:* handlers', () => {
  it('bind the store: write → list → read → remove', async () => {
    // Only the backup store matters here; the other deps are never called.
    const h = createHandlers({ backups: store } as Partial<HandlerDeps> as HandlerDeps);
    const shaped = bundleShaped();
    const w = await h['backup:write']({ bytes: shaped, kind: 'restore' });
    expect(w.ok && w.value.kind).toBe('restore');
    // An unknown kind from the renderer is not trusted: the call is refused at the boundary.
    const w2 = await h['backup:write']({ bytes: shaped, kind: '../x' as never });
    expect(!w2.ok && w2.error.code).toBe('ipc.bad_request');
    const w3 = await h['backup:write']({ bytes: shaped });
    expect(w3.ok && w3.value.name).toBe('pilotdesk-20250630-080000-000.pilotbundle');
    const l = await h['backup:list']();
    expect(l.ok && l.value).toHaveLength(2);
    const r = await h['backup:read']({ name: 'pilotdesk-20250630-080000-000-restore.pilotbundle' });
    expect(r.ok && r.value.size).toBe(shaped.byteLength);
    expect((await h['backup:read']({ name: '../../etc/passwd' })).ok).toBe(false);
    expect(await h['backup:remove']({ name: 'pilotdesk-20250630-080000-000-restore.pilotbundle' })).toEqual(ok({ removed: true }));
  });
});

describe('harness backup folder', () => {
  it('gives each harness its own temp backup folder, serves backup:* over the bridge, and removes the folder on close', async () => {
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>x</title>');
    const h = await startHarness({ rendererDir: join(root, 'renderer'), corpus: () => ok({ tasks: [] } as never), now: () => clock });
    const h2 = await startHarness({ rendererDir: join(root, 'renderer'), corpus: () => ok({ tasks: [] } as never) });
    expect(h.backupDir).not.toBe(h2.backupDir);
    const call = async (channel: string, args: unknown[]) => {
      const res = await fetch(`${h.url}api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: encodeWire({ channel, args }) });
      return decodeWire<{ ok: boolean; value: { name: string } }>(await res.text());
    };
    const w = await call('backup:write', [{ bytes: bundleShaped() }]);
    expect(w.ok).toBe(true);
    expect(readdirSync(h.backupDir)).toEqual(['pilotdesk-20250630-080000-000.pilotbundle']);
    expect((await call('backup:read', [{ name: '../../x' }])).ok).toBe(false);
    await h.close();
    await h2.close();
    expect(existsSync(h.backupDir)).toBe(false);
    expect(existsSync(h2.backupDir)).toBe(false);
  });
});
