/**
 * The profile and the unit list through the one write path (db/writes.ts): a profile can be changed
 * after the first start and every change of name, unit or role is kept (when, from what to what);
 * a unit's name can be changed only from a supervisor profile — an official's rename is refused
 * with a clear message, writes nothing and announces nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { onDataChange, type DataChange } from '../../src-renderer/src/db/mutate';
import { getProfile, getProfileHistory, listUnits } from '../../src-renderer/src/db/repo';
import * as writes from '../../src-renderer/src/db/writes';

let db: PilotDb;
let events: DataChange[] = [];
let unsubscribe: () => void = () => undefined;

beforeEach(async () => {
  db = createDb(`profile-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
  events = [];
  unsubscribe = onDataChange((c) => void events.push(c));
});
afterEach(async () => {
  unsubscribe();
  db.close();
  await db.delete();
});

const official = { name: '李明', unitCode: '320102', language: 'zh-CN', role: 'official' } as const;

describe('profile history', () => {
  it('keeps each change of name, unit and role with its time, newest first; the first save and the language add none', async () => {
    expect((await writes.saveProfile(db, official)).ok).toBe(true);
    expect(await getProfileHistory(db)).toEqual([]);
    expect((await writes.saveProfile(db, { ...official, language: 'en' })).ok).toBe(true);
    expect(await getProfileHistory(db)).toEqual([]);

    expect((await writes.saveProfile(db, { ...official, name: ' 李明华 ' })).ok).toBe(true);
    expect((await writes.saveProfile(db, { ...official, name: '李明华', unitCode: '320104', role: 'supervisor' })).ok).toBe(true);
    const history = await getProfileHistory(db);
    expect(history.map((h) => h.changes)).toEqual([
      [
        { field: 'unitCode', from: '320102', to: '320104' },
        { field: 'role', from: 'official', to: 'supervisor' },
      ],
      [{ field: 'name', from: '李明', to: '李明华' }],
    ]);
    expect(Date.parse(history[0]!.at)).toBeGreaterThan(Date.parse(history[1]!.at));
    expect(await getProfile(db)).toEqual({ name: '李明华', unitCode: '320104', language: 'zh-CN', role: 'supervisor' });
  });

  it('refuses a bad change with a message and keeps profile and history as they were', async () => {
    await writes.saveProfile(db, official);
    await writes.saveProfile(db, { ...official, name: '李明华' });
    const before = await db.profile.get('local');
    events = [];
    const blank = await writes.saveProfile(db, { ...official, name: '  ', unitCode: 'NOPE' });
    expect(blank.ok).toBe(false);
    if (!blank.ok) expect(blank.fieldErrors).toEqual({ name: '请填写姓名', unitCode: '请选择所在单位' });
    expect(await db.profile.get('local')).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe('unit names', () => {
  it('an official profile cannot rename a unit: a clear error, nothing written, no change sent', async () => {
    await writes.saveProfile(db, official);
    const before = await listUnits(db);
    events = [];
    const own = before.find((u) => u.code === '320102')!;
    const r = await writes.saveUnit(db, { ...own, name: '玄武新区' }, 'update');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('unit.rename_forbidden');
      expect(r.error.message).toMatch(/只有市级督办可以修改单位名称/);
    }
    const other = before.find((u) => u.code === 'JBXQ')!;
    expect((await writes.saveUnit(db, { ...other, name: '南京江北新区' }, 'upsert')).ok).toBe(false);
    expect(await listUnits(db)).toEqual(before);
    expect(events).toEqual([]);
    // What an official may still do with the list: add a unit.
    expect((await writes.saveUnit(db, { code: 'XGQ', name: '新港高新区', kind: 'zone' }, 'create')).ok).toBe(true);
  });

  it('without a profile nobody renames; a supervisor profile does', async () => {
    const unit = (await listUnits(db)).find((u) => u.code === 'JBXQ')!;
    expect((await writes.saveUnit(db, { ...unit, name: '南京江北新区' }, 'update')).ok).toBe(false);
    await writes.saveProfile(db, { ...official, unitCode: 'SJBM', role: 'supervisor' });
    events = [];
    const r = await writes.saveUnit(db, { ...unit, name: '南京江北新区' }, 'update');
    expect(r.ok && r.value.name).toBe('南京江北新区');
    expect(events.map((e) => e.kind)).toEqual(['units']);
    expect((await listUnits(db)).find((u) => u.code === 'JBXQ')?.name).toBe('南京江北新区');
  });
});
