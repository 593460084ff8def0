/**
 * Annotations, revisions, history and the profile/unit forms: what an official relies on when they
 * save, look back, restore, or type something the app must refuse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIELD_NAMES, emptyFields, type AnnotationFields, type Author } from '../../src-main/shared/domain';
import type { RichDoc } from '../../src-main/shared/richtext';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import {
  diffRevisions,
  getAnnotation,
  getProfile,
  listAnnotations,
  listRevisions,
  listUnits,
  restoreRevision,
  saveAnnotation,
  saveProfile,
  saveUnit,
  setUnitActive,
} from '../../src-renderer/src/db/repo';

let db: PilotDb;
const me: Author = { name: '李明', unitCode: '320102' };
const KEY = 'T1-09|320102';
const fields = (patch: Partial<AnnotationFields> = {}): AnnotationFields => ({ ...emptyFields(), ...patch });
const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 8, minute));
const hasChinese = (s: string | undefined) => /[\u4e00-\u9fff]/.test(s ?? '');

/** Rows in every table, to prove that a refused save wrote nothing anywhere. */
async function rowCounts(d: PilotDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of d.tables) out[table.name] = await table.count();
  return out;
}

async function save(f: AnnotationFields, now?: Date, taskId = 'T1-09', unitCode = '320102') {
  const r = await saveAnnotation(db, taskId, unitCode, f, me, now);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeEach(async () => {
  db = createDb(`ann-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => db.close());

describe('saving an annotation', () => {
  // Saves here are more than REVISION_WINDOW_MS apart, each a working session of its own (within
  // one session saves amend the open revision: revision-window.test.ts).
  it('writes exactly one revision per real change and none for a save that changes nothing', async () => {
    const first = await save(fields({ status: 'on_track', progress: 20 }), t(1));
    expect('revision' in first).toBe(true);
    expect(await db.revisions.count()).toBe(1);

    const again = await save(fields({ status: 'on_track', progress: 20 }), t(2));
    expect(again).toMatchObject({ unchanged: true });
    expect(await db.revisions.count()).toBe(1);

    const second = await save(fields({ status: 'on_track', progress: 35 }), t(13));
    expect(await db.revisions.count()).toBe(2);
    if (!('revision' in first) || !('revision' in second)) throw new Error('expected revisions');
    expect(second.revision.parents).toEqual([first.revision.id]);
    expect(second.revision.changed).toEqual(['progress']);
    expect(second.revision.kind).toBe('edit');
    expect(second.revision.author).toEqual(me);
    expect(first.revision.parents).toEqual([]);
    expect(first.revision.changed).toEqual([...FIELD_NAMES]); // a first revision records every field

    // The annotation is its head revision.
    const stored = await getAnnotation(db, 'T1-09', '320102');
    expect(stored?.head).toBe(second.revision.id);
    const { key: _k, taskId: _t, unitCode: _u, head: _h, updatedAt, updatedBy, ...current } = stored!;
    expect(current).toEqual(second.revision.fields);
    expect(updatedAt).toBe(t(13).toISOString());
    expect(updatedBy).toEqual(me);
  });

  it('does not create an annotation when the untouched empty form is saved', async () => {
    const before = await rowCounts(db);
    const r = await saveAnnotation(db, 'T2-01', '320102', emptyFields(), me);
    expect(r).toEqual({ ok: true, value: { unchanged: true, annotation: null } });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('ignores properties that are not annotation fields (a whole Annotation passed as fields)', async () => {
    await save(fields({ status: 'delayed' }), t(1));
    const stored = (await getAnnotation(db, 'T1-09', '320102'))!;
    expect(await save({ ...stored, problems: '资金未到位' }, t(12))).toHaveProperty('revision.changed', ['problems']);
    // Every field, except a write-up (caseStudy) that is stored only when there is one.
    expect(Object.keys((await db.revisions.toArray())[1]!.fields).sort()).toEqual(FIELD_NAMES.filter((f) => f !== 'caseStudy').sort());
  });

  it('keeps annotations of different units apart', async () => {
    await save(fields({ status: 'done' }), t(1), 'T1-09', '320102');
    await save(fields({ status: 'delayed' }), t(1), 'T1-09', '320104');
    expect((await listAnnotations(db, { unitCode: '320104' })).map((a) => a.status)).toEqual(['delayed']);
    expect(await listAnnotations(db, { taskId: 'T1-09' })).toHaveLength(2);
  });

  it('refuses a unit that is not in the list, writing nothing', async () => {
    const before = await rowCounts(db);
    const r = await saveAnnotation(db, 'T1-09', 'NOPE', fields({ status: 'done' }), me);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unit.unknown');
    expect(await rowCounts(db)).toEqual(before);
  });
});

describe('bad input is refused at its field, and nothing is written', () => {
  const cases: [string, Partial<AnnotationFields>, keyof AnnotationFields, RegExp][] = [
    ['a deadline before the plan (2022-12-01)', { deadline: '2022-12-01' }, 'deadline', /2022年12月29日/],
    ['a deadline that is not a date (abc)', { deadline: 'abc' }, 'deadline', /有效日期/],
    ['a deadline that does not exist (2025-02-30)', { deadline: '2025-02-30' }, 'deadline', /有效日期/],
    ['progress 101', { progress: 101 }, 'progress', /0 到 100/],
    ['progress -1', { progress: -1 }, 'progress', /0 到 100/],
    ['progress 2.5', { progress: 2.5 }, 'progress', /整数/],
    ['a blank lead unit', { leadUnits: ['市商务局', ' '] }, 'leadUnits', /不能为空/],
    ['a javascript: link in the notes', {
      progressNotes: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '点此', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] } as RichDoc,
    }, 'progressNotes', /链接/],
    ['progress of the wrong type', { progress: '50' as unknown as number }, 'progress', /进度/],
    ['units that are not a list', { partnerUnits: '市发改委' as unknown as string[] }, 'partnerUnits', /配合单位/],
    // Refused at the form because a bundle (and so a backup) with them would not import anywhere.
    ['a control character pasted into 量化成效', { results: '增长\u000b12%' }, 'results', /控制字符/],
    ['more lead units than a bundle carries (51)', { leadUnits: Array.from({ length: 51 }, (_, i) => `单位${i + 1}`) }, 'leadUnits', /最多 50 个单位/],
    ['a status that is not one of the list', { status: 'finished' as never }, 'status', /请选择有效的完成状态/],
    ['a flag of the wrong type', { isInnovation: 'yes' as unknown as boolean }, 'isInnovation', /制度创新成果的数据格式无效/],
  ];

  it.each(cases)('%s', async (_name, patch, field, message) => {
    await save(fields({ status: 'on_track', progress: 10, deadline: '2025-12-31' }), t(1));
    const storedBefore = await getAnnotation(db, 'T1-09', '320102');
    const before = await rowCounts(db);

    const r = await saveAnnotation(db, 'T1-09', '320102', fields({ status: 'on_track', progress: 10, deadline: '2025-12-31', ...patch }), me, t(2));

    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('annotation.invalid');
    expect(Object.keys(r.fieldErrors)).toEqual([field]);
    expect(r.fieldErrors[field as keyof typeof r.fieldErrors]).toMatch(message);
    expect(hasChinese(r.fieldErrors[field as keyof typeof r.fieldErrors])).toBe(true);
    expect(r.error.message).toMatch(message);
    expect(await rowCounts(db)).toEqual(before);
    expect(await getAnnotation(db, 'T1-09', '320102')).toEqual(storedBefore);
  });

  it('reports every bad field at once', async () => {
    const r = await saveAnnotation(db, 'T1-09', '320102', fields({ deadline: 'abc', progress: 101 }), me);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors).sort()).toEqual(['deadline', 'progress']);
    expect(await db.annotations.count()).toBe(0);
  });
});

describe('history', () => {
  it('lists revisions newest first, even when the clock was set back', async () => {
    await save(fields({ progress: 10 }), t(30));
    await save(fields({ progress: 20 }), t(41));
    await save(fields({ progress: 30 }), t(5)); // clock set back between saves (never amends)
    const revs = await listRevisions(db, KEY);
    expect(revs.map((r) => r.fields.progress)).toEqual([30, 20, 10]);
    expect(revs[0]!.parents).toEqual([revs[1]!.id]);
  });

  it('restoring makes a new revision with the old fields and keeps every old one', async () => {
    const r1 = await save(fields({ status: 'on_track', progress: 10, problems: '场地未落实' }), t(1));
    await save(fields({ status: 'delayed', progress: 10, problems: '场地未落实；资金缺口' }), t(12));
    const r3 = await save(fields({ status: 'delayed', progress: 15, problems: '资金缺口' }), t(23));
    if (!('revision' in r1) || !('revision' in r3)) throw new Error('expected revisions');
    const oldRows = await db.revisions.toArray();

    const r = await restoreRevision(db, KEY, r1.revision.id, { name: '张督办', unitCode: 'SJBM' }, t(34));
    expect(r.ok).toBe(true);
    if (!r.ok || !('revision' in r.value)) throw new Error('expected a restore revision');
    const restored = r.value.revision;
    expect(restored).toMatchObject({ kind: 'restore', restoredFrom: r1.revision.id, parents: [r3.revision.id] });
    expect(restored.fields).toEqual(r1.revision.fields);
    expect(restored.changed.sort()).toEqual(['problems', 'progress', 'status']);

    const all = await listRevisions(db, KEY);
    expect(all).toHaveLength(4);
    expect(all[0]!.id).toBe(restored.id);
    for (const old of oldRows) expect(await db.revisions.get(old.id)).toEqual(old);
    const current = await getAnnotation(db, 'T1-09', '320102');
    expect(current).toMatchObject({ status: 'on_track', progress: 10, problems: '场地未落实', head: restored.id });
    expect(current?.updatedBy).toEqual({ name: '张督办', unitCode: 'SJBM' });

    // Restoring what is already current writes nothing.
    const again = await restoreRevision(db, KEY, restored.id, me, t(5));
    expect(again.ok && 'unchanged' in again.value).toBe(true);
    expect(await db.revisions.count()).toBe(4);
  });

  it('refuses to restore a revision of another annotation', async () => {
    const other = await save(fields({ status: 'done' }), t(1), 'T2-01');
    await save(fields({ status: 'on_track' }), t(1));
    if (!('revision' in other)) throw new Error('expected a revision');
    const r = await restoreRevision(db, KEY, other.revision.id, me);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('revision.not_found');
    expect(await db.revisions.count()).toBe(2);
  });

  it('diff shows exactly the changed fields, readable', async () => {
    const a = await save(fields({ status: 'on_track', progress: 40, leadUnits: ['区商务局'], deadline: '2025-06-30' }), t(1));
    const b = await save(fields({ status: 'delayed', progress: 40, leadUnits: ['区商务局', '区发改委'], deadline: null, isInnovation: true }), t(2));
    if (!('revision' in a) || !('revision' in b)) throw new Error('expected revisions');
    const diff = diffRevisions(a.revision, b.revision);
    expect(diff.map((d) => d.field)).toEqual(['status', 'leadUnits', 'deadline', 'isInnovation']);
    expect(diff.map((d) => [d.label, d.before, d.after])).toEqual([
      ['完成状态', '序时推进', '进度滞后'],
      ['牵头单位', '区商务局', '区商务局、区发改委'],
      ['完成时限', '2025年6月30日', ''],
      ['制度创新成果', '否', '是'],
    ]);
    expect(diff.find((d) => d.field === 'status')).toMatchObject({ beforeValue: 'on_track', afterValue: 'delayed' });
    expect(diffRevisions(b.revision, b.revision)).toEqual([]);
    // The first revision against nothing: what it set.
    expect(diffRevisions(null, a.revision).map((d) => d.field)).toEqual(['status', 'progress', 'leadUnits', 'deadline']);
  });

  it('diff compares rich text as words and as structure', async () => {
    const plain: RichDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '完成备案 12 家' }] }] };
    const bold: RichDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '完成备案 12 家', marks: [{ type: 'bold' }] }] }] };
    const more: RichDoc = { type: 'doc', content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '进展' }] }, { type: 'paragraph', content: [{ type: 'text', text: '完成备案 15 家' }] }] };
    const formatting = diffRevisions(fields({ progressNotes: plain }), fields({ progressNotes: bold }));
    expect(formatting).toEqual([expect.objectContaining({ field: 'progressNotes', label: '推进情况', before: '完成备案 12 家', after: '完成备案 12 家', formattingOnly: true })]);
    const words = diffRevisions(fields({ progressNotes: bold }), fields({ progressNotes: more }));
    expect(words).toEqual([expect.objectContaining({ field: 'progressNotes', before: '完成备案 12 家', after: '进展\n完成备案 15 家', formattingOnly: false })]);
  });
});

describe('profile', () => {
  it('is saved once the name and an active unit are given, with Chinese messages otherwise', async () => {
    expect(await getProfile(db)).toBeUndefined();
    const bad = await saveProfile(db, { name: '  ', unitCode: 'NOPE', language: 'zh-CN', role: 'official' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fieldErrors).toEqual({ name: '请填写姓名', unitCode: '请选择所在单位' });
    expect(await db.profile.count()).toBe(0);

    const good = await saveProfile(db, { name: ' 李明 ', unitCode: '320102', language: 'zh-CN', role: 'supervisor' });
    expect(good).toEqual({ ok: true, value: { name: '李明', unitCode: '320102', language: 'zh-CN', role: 'supervisor' } });
    expect(await getProfile(db)).toEqual({ name: '李明', unitCode: '320102', language: 'zh-CN', role: 'supervisor' });
  });
});

describe('units', () => {
  it('adds a unit with a new valid code at the end of the list', async () => {
    const r = await saveUnit(db, { code: 'XGQ', name: '新港高新区', kind: 'zone' }, 'create');
    expect(r).toEqual({ ok: true, value: { code: 'XGQ', name: '新港高新区', kind: 'zone', order: 14, active: true } });
    expect((await listUnits(db)).map((u) => u.code).at(-1)).toBe('XGQ');
  });

  it('refuses bad or taken codes and duplicate names, changing nothing', async () => {
    // Renaming is a supervisor's (tests/dom/profile-units.test.ts has an official's refusal).
    await saveProfile(db, { name: '王督办', unitCode: 'SJBM', language: 'zh-CN', role: 'supervisor' });
    const before = await listUnits(db);
    const badCode = await saveUnit(db, { code: 'xw', name: '新区', kind: 'zone' }, 'create');
    expect(!badCode.ok && badCode.fieldErrors.code).toMatch(/GB\/T 2260/);
    const taken = await saveUnit(db, { code: '320102', name: '另一个区', kind: 'district' }, 'create');
    expect(!taken.ok && taken.fieldErrors.code).toMatch(/玄武区/);
    const sameName = await saveUnit(db, { code: '320104', name: '玄武区', kind: 'district' }, 'update');
    expect(!sameName.ok && sameName.fieldErrors.name).toMatch(/已有名为「玄武区」/);
    const noName = await saveUnit(db, { code: 'NEW1', name: ' ', kind: 'zone' }, 'create');
    expect(!noName.ok && noName.fieldErrors.name).toBe('请填写单位名称');
    expect(await listUnits(db)).toEqual(before);
  });

  it('renames a unit (a supervisor) but never changes its code, and keeps its place', async () => {
    await saveProfile(db, { name: '王督办', unitCode: 'SJBM', language: 'zh-CN', role: 'supervisor' });
    const r = await saveUnit(db, { code: 'JBXQ', name: '南京江北新区', kind: 'zone' }, 'update');
    expect(r).toEqual({ ok: true, value: { code: 'JBXQ', name: '南京江北新区', kind: 'zone', order: 12, active: true } });
    const missing = await saveUnit(db, { code: 'ZZZ', name: '不存在', kind: 'zone' }, 'update');
    expect(!missing.ok && missing.error.code).toBe('unit.not_found');
  });

  it('hides a unit from pickers but not the person’s own unit', async () => {
    await saveProfile(db, { name: '李明', unitCode: '320102', language: 'zh-CN', role: 'official' });
    expect((await setUnitActive(db, '320118', false)).ok).toBe(true);
    expect((await listUnits(db, { activeOnly: true })).map((u) => u.code)).not.toContain('320118');
    const own = await setUnitActive(db, '320102', false);
    expect(!own.ok && own.error.code).toBe('unit.own');
    expect((await listUnits(db)).find((u) => u.code === '320102')?.active).toBe(true);
  });
});
