/**
 * Moving an installation's data from the file:// origin to app:// (the page's side, over main's real
 * handlers and backup folder). Two databases stand for the two origins' IndexedDB. What an official
 * on an older installation relies on: after the move the new origin holds every row the old one held
 * (and the profile), the old database is untouched, and a failed move loses nothing and goes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataSnapshot, fullSnapshot } from './backup-fixtures';
import { useNodeBlob } from '../support/dom';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields } from '../../src-main/shared/domain';
import { createHandlers, type HandlerDeps } from '../../src-main/main/handlers';
import { createBackupStore } from '../../src-main/main/services/backups';
import { createOriginMove, readOriginState } from '../../src-main/main/services/originMove';
import { APP_ORIGIN, FILE_ORIGIN } from '../../src-main/main/appProtocol';
import type { Handlers } from '../../src-main/shared/ipc-contract';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { addLogEntry, getProfile, saveAnnotation, saveProfile } from '../../src-renderer/src/db/repo';
import { docFromText } from '../../src-main/shared/richtext';

useNodeBlob();
const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));
const { runOriginMove } = await import('../../src-renderer/src/features/backups/originMove');
const svc = await import('../../src-renderer/src/features/backups/backupService');

let corpus: Corpus;
let dir: string;
let oldDb: PilotDb;
let newDb: PilotDb;
let loads: string[];
let originFile: string;
const me = { name: '张三', unitCode: '320102' };
const profile = { name: '张三', unitCode: '320102', language: 'zh-CN' as const, role: 'official' as const };

/** The page's `location.origin`, as the two pages of the move see it. */
const main = (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args);
const at = (origin: string) => vi.stubGlobal('location', { ...window.location, origin });

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-move-'));
  originFile = join(dir, 'storage-origin.json');
  loads = [];
  const backups = createBackupStore(join(dir, 'backups'));
  const move = createOriginMove({
    file: originFile,
    backupNames: async () => {
      const r = await backups.list();
      return r.ok ? r.value.map((b) => b.name) : [];
    },
    loadScheme: () => loads.push('scheme'),
    loadFile: () => loads.push('file'),
  });
  const handlers: Handlers = createHandlers({
    backups,
    storageOrigin: (o: string) => move.storageOrigin(o),
    originMove: move,
    info: { name: 'PilotDesk', version: '0.1.0-test', shell: 'harness', platform: 'linux' },
  } as Partial<HandlerDeps> as HandlerDeps);
  ipc.invoke = async (channel, ...args) => structuredClone(await (handlers[channel as keyof Handlers] as (...a: unknown[]) => Promise<unknown>)(...structuredClone(args)));
  svc.resetBackupSession();
  oldDb = createDb(`move-old-${crypto.randomUUID()}`);
  newDb = createDb(`move-new-${crypto.randomUUID()}`);
  await openDatabase(oldDb, { persist: false });
  await openDatabase(newDb, { persist: false });
  // An older installation: its origin recorded as file://, data and a profile in its database.
  await main('app:storageOrigin', FILE_ORIGIN);
  await saveProfile(oldDb, profile);
  expect((await saveAnnotation(oldDb, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', results: '新设外资企业12家' }, me)).ok).toBe(true);
  expect((await saveAnnotation(oldDb, 'T2-03', '320102', { ...emptyFields(), status: 'done' }, me)).ok).toBe(true);
  expect((await addLogEntry(oldDb, { taskId: 'T1-01', unitCode: '320102', date: '2025-05-06', body: docFromText('召开推进会') }, me)).ok).toBe(true);
});
afterEach(() => {
  vi.unstubAllGlobals();
  oldDb.close();
  newDb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('moving the data from file:// to app://', { timeout: 30_000 }, () => {
  it('moves every row and the profile; the old database is left as it was', async () => {
    const before = await fullSnapshot(oldDb, { skipMeta: true });
    at(FILE_ORIGIN);
    const asked = (await main('app:storageOrigin', FILE_ORIGIN)) as { value: { move?: unknown } };
    expect(asked.value.move).toBe('export');
    const exported = await runOriginMove(oldDb, corpus, 'export', profile);
    expect(exported.ok).toBe(true);
    expect(loads).toEqual(['scheme']);
    expect(await fullSnapshot(oldDb, { skipMeta: true })).toEqual(before);

    at(APP_ORIGIN);
    const next = (await main('app:storageOrigin', APP_ORIGIN)) as { value: { expected: string; move?: { import: { backup: string | null; profile: typeof profile | null } } } };
    expect(next.value.expected).toBe(APP_ORIGIN);
    const imported = await runOriginMove(newDb, corpus, next.value.move!, null);
    expect(imported.ok).toBe(true);
    expect(await dataSnapshot(newDb)).toEqual(await dataSnapshot(oldDb));
    expect(await getProfile(newDb)).toMatchObject(profile);
    expect(await readOriginState(originFile)).toMatchObject({ origin: APP_ORIGIN, move: null });
    expect(((await main('app:storageOrigin', APP_ORIGIN)) as { value: { move?: unknown } }).value.move).toBeUndefined();
  });

  it('a hand-over whose backup cannot be restored goes back to files, nothing lost, and is not asked again', async () => {
    at(FILE_ORIGIN);
    expect((await runOriginMove(oldDb, corpus, 'export', profile)).ok).toBe(true);
    const before = await fullSnapshot(oldDb, { skipMeta: true });
    at(APP_ORIGIN);
    // The backup is gone by the time the new page looks for it (deleted by hand, a full disk …).
    const missing = await runOriginMove(newDb, corpus, { import: { backup: '备份-20000101-000000.pilotbundle', profile } }, null);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('数据迁移未完成');
    expect(loads).toEqual(['scheme', 'file']);
    expect(await readOriginState(originFile)).toMatchObject({ origin: FILE_ORIGIN, move: { state: 'failed' } });
    expect(await fullSnapshot(oldDb, { skipMeta: true })).toEqual(before);
    at(FILE_ORIGIN);
    expect(((await main('app:storageOrigin', FILE_ORIGIN)) as { value: { move?: unknown } }).value.move).toBeUndefined();
  });
});
