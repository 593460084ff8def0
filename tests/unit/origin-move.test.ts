/**
 * Moving an installation's data from file:// to app:// (main's side). What a user of an older
 * installation relies on: the move happens once, only with a backup main itself holds, never
 * loops, and a failed move goes back to the data where it still is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, FILE_ORIGIN } from '../../src-main/main/appProtocol';
import { createOriginMove, entryOf, readOriginState } from '../../src-main/main/services/originMove';

const dir = mkdtempSync(join(tmpdir(), 'pd-origin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const profile = { name: '张三', unitCode: '320102', language: 'zh-CN' as const, role: 'official' as const };

function setUp(recorded: string | null) {
  const file = join(dir, `origin-${++n}.json`);
  if (recorded) writeFileSync(file, JSON.stringify({ origin: recorded, recordedAt: '2025-01-01T00:00:00Z' }));
  const loads: string[] = [];
  const move = createOriginMove({ file, backupNames: async () => ['备份-20260101-100000.pilotbundle'], loadScheme: () => loads.push('scheme'), loadFile: () => loads.push('file') });
  return { file, move, loads, state: () => readOriginState(file) };
}

describe('origin move (main)', () => {
  it('a new installation records its origin and never moves', async () => {
    const { move, state } = setUp(null);
    expect(await move.storageOrigin(APP_ORIGIN)).toEqual({ expected: APP_ORIGIN });
    expect(entryOf(await state())).toBe('scheme');
    expect((await move.handOver({ backup: null, profile }, FILE_ORIGIN)).ok).toBe(false);
  });

  it('file:// data: export, hand over a backup main holds, then the app:// page imports it once', async () => {
    const { move, loads, state, file } = setUp(FILE_ORIGIN);
    expect(entryOf(await state())).toBe('file');
    expect(await move.storageOrigin(FILE_ORIGIN)).toEqual({ expected: FILE_ORIGIN, move: 'export' });
    // A backup name main does not hold is refused and changes nothing.
    expect((await move.handOver({ backup: '别的文件.pilotbundle', profile }, FILE_ORIGIN)).ok).toBe(false);
    expect(entryOf(await state())).toBe('file');
    expect(loads).toEqual([]);

    expect((await move.handOver({ backup: '备份-20260101-100000.pilotbundle', profile }, FILE_ORIGIN)).ok).toBe(true);
    expect(loads).toEqual(['scheme']);
    expect(entryOf(await state())).toBe('scheme');
    expect(await move.storageOrigin(APP_ORIGIN)).toEqual({ expected: APP_ORIGIN, move: { import: { backup: '备份-20260101-100000.pilotbundle', profile } } });
    // A second hand-over while one is pending is refused.
    expect((await move.handOver({ backup: null, profile }, FILE_ORIGIN)).ok).toBe(false);

    expect((await move.moved({ ok: true }, APP_ORIGIN)).ok).toBe(true);
    expect(await move.storageOrigin(APP_ORIGIN)).toEqual({ expected: APP_ORIGIN });
    expect(JSON.parse(readFileSync(file, 'utf8')).movedFrom).toBe(FILE_ORIGIN);
    expect((await move.moved({ ok: true }, APP_ORIGIN)).ok).toBe(false); // done once
  });

  it('an empty file:// database moves without a backup', async () => {
    const { move, loads, state } = setUp(FILE_ORIGIN);
    expect((await move.handOver({ backup: null, profile: null }, FILE_ORIGIN)).ok).toBe(true);
    expect(loads).toEqual(['scheme']);
    expect(await state()).toMatchObject({ origin: APP_ORIGIN, move: null });
  });

  it('a failed import goes back to files and is not tried again by itself', async () => {
    const { move, loads, state } = setUp(FILE_ORIGIN);
    await move.handOver({ backup: '备份-20260101-100000.pilotbundle', profile }, FILE_ORIGIN);
    expect((await move.moved({ ok: false, reason: '备份已损坏' }, APP_ORIGIN)).ok).toBe(true);
    expect(loads).toEqual(['scheme', 'file']);
    expect(entryOf(await state())).toBe('file');
    expect(await move.storageOrigin(FILE_ORIGIN)).toEqual({ expected: FILE_ORIGIN }); // no second 'export'
  });

  it('a page of another origin cannot drive the move', async () => {
    const { move, state } = setUp(FILE_ORIGIN);
    expect((await move.handOver({ backup: null, profile }, 'http://127.0.0.1:5173')).ok).toBe(false);
    expect(await move.storageOrigin('http://127.0.0.1:5173')).toEqual({ expected: FILE_ORIGIN });
    expect((await state()).origin).toBe(FILE_ORIGIN);
  });
});
