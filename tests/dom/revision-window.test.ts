/**
 * Coalesced revisions: consecutive saves of one annotation by the same author amend the open
 * revision until it is shared (a bundle, a 报送, a frozen snapshot) or its working window closes
 * (10 minutes without a save, another author, the task left). What leaves the machine never changes
 * afterwards, so a colleague's ancestry merge of it stays exact.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useNodeBlob } from '../support/dom';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { readBundle } from '../../src-main/shared/bundle/read';
import { emptyFields, type AnnotationFields, type Author } from '../../src-main/shared/domain';
import { REVISION_WINDOW_MS } from '../../src-main/shared/services/revisionWindow';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { closeRevisionWindow, getAnnotation, listRevisions, saveAnnotation } from '../../src-renderer/src/db/repo';
import { applyImport, buildExport, previewImport } from '../../src-renderer/src/features/bundles/bundleService';
import { freezeNow, savePeriod } from '../../src-renderer/src/features/periods/periodService';

useNodeBlob();

const district: Author = { name: '李明', unitCode: '320102' };
const colleague: Author = { name: '赵敏', unitCode: '320102' };
const supervisor: Author = { name: '王督办', unitCode: 'SJBM' };
const KEY = 'T1-09|320102';
const T0 = Date.UTC(2026, 2, 2, 1, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const fields = (patch: Partial<AnnotationFields> = {}): AnnotationFields => ({ ...emptyFields(), ...patch });

let corpus: Corpus;
let db: PilotDb;
const opened: PilotDb[] = [];

async function newDb(): Promise<PilotDb> {
  const d = createDb(`window-${crypto.randomUUID()}`);
  await openDatabase(d, { persist: false });
  opened.push(d);
  return d;
}

async function save(d: PilotDb, f: AnnotationFields, now: Date, author: Author = district) {
  const r = await saveAnnotation(d, 'T1-09', '320102', f, author, now);
  if (!r.ok) throw new Error(r.error.message);
  if (!('revision' in r.value)) throw new Error('nothing saved');
  return r.value.revision;
}

async function exportAll(d: PilotDb, author: Author = district, now?: Date): Promise<Uint8Array> {
  const out = await buildExport(d, { scope: { scope: 'all' }, author, appVersion: 'test', corpus, ...(now ? { now } : {}) });
  if (!out.ok) throw new Error(out.error.message);
  return out.value.bytes;
}

async function importInto(d: PilotDb, bytes: Uint8Array) {
  const read = readBundle(bytes, { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });
  if (!read.ok) throw new Error(read.error.message);
  const plan = await previewImport(d, read.value);
  const applied = await applyImport(d, plan, {}, { author: supervisor, fileName: 'x.pilotbundle' });
  if (!applied.ok) throw new Error(applied.error.message);
  return plan;
}

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  db = await newDb();
});
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

describe('a working session is one revision', () => {
  it('saves by the same author within the window amend the open revision: its id, parents and the newest fields', async () => {
    const first = await save(db, fields({ status: 'on_track' }), at(0));
    const base = await save(db, fields({ status: 'on_track', problems: '场地' }), at(15)); // a session of its own
    const a = await save(db, fields({ status: 'on_track', problems: '场地未落实' }), at(16));
    const b = await save(db, fields({ status: 'delayed', problems: '场地未落实；资金缺口' }), at(20));
    expect(a.id).toBe(base.id);
    expect(b.id).toBe(base.id);
    const revs = await listRevisions(db, KEY);
    expect(revs.map((r) => r.id)).toEqual([base.id, first.id]);
    expect(revs[0]).toMatchObject({ parents: [first.id], at: at(20).toISOString(), fields: { status: 'delayed', problems: '场地未落实；资金缺口' } });
    // `changed` says what the session changed against its parent, not against its last save.
    expect(revs[0]!.changed.sort()).toEqual(['problems', 'status']);
    expect(await getAnnotation(db, 'T1-09', '320102')).toMatchObject({ head: base.id, status: 'delayed', updatedAt: at(20).toISOString() });
  });

  it(`${REVISION_WINDOW_MS / 60_000} minutes without a save close the window`, async () => {
    const a = await save(db, fields({ problems: '一' }), at(0));
    const b = await save(db, fields({ problems: '一二' }), at(10)); // exactly ten minutes: still open
    const c = await save(db, fields({ problems: '一二三' }), at(20.01));
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    expect(c.parents).toEqual([a.id]);
    expect((await listRevisions(db, KEY)).map((r) => r.fields.problems)).toEqual(['一二三', '一二']);
  });

  it('a save by a different author starts a revision of their own', async () => {
    const mine = await save(db, fields({ problems: '本人填写' }), at(0));
    const theirs = await save(db, fields({ problems: '同事补充' }), at(1), colleague);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs).toMatchObject({ parents: [mine.id], author: colleague });
    // and the first author's next save does not reach back into the colleague's revision.
    const again = await save(db, fields({ problems: '本人再改' }), at(2));
    expect(again.parents).toEqual([theirs.id]);
    expect(await listRevisions(db, KEY)).toHaveLength(3);
  });

  it('leaving the task closes the window: the next save is a revision of its own', async () => {
    const a = await save(db, fields({ results: '上午' }), at(0));
    await closeRevisionWindow(db, KEY);
    const b = await save(db, fields({ results: '上午；下午' }), at(1));
    expect(b.id).not.toBe(a.id);
    expect((await db.revisions.get(a.id))!.fields.results).toBe('上午');
  });
});

describe('amend until shared', { timeout: 60_000 }, () => {
  it('an exported revision is never changed afterwards; the colleague who imported it merges the later bundle exactly', async () => {
    const x = await save(db, fields({ status: 'on_track', problems: '场地未落实' }), at(0));
    const bundle1 = await exportAll(db);
    const exported = await db.revisions.get(x.id);

    // The supervisor imports the first bundle and adds a note of their own in another field.
    const sup = await newDb();
    await importInto(sup, bundle1);
    expect((await getAnnotation(sup, 'T1-09', '320102'))?.head).toBe(x.id);
    const supEdit = await saveAnnotation(sup, 'T1-09', '320102', fields({ status: 'on_track', problems: '场地未落实', nextSteps: '督办跟进' }), supervisor, at(2));
    expect(supEdit.ok).toBe(true);

    // The district keeps typing a minute later, well inside the window: a new revision on top of
    // the shared one, which stays exactly as it left; the saves after it amend the new one.
    const y = await save(db, fields({ status: 'on_track', problems: '场地已落实' }), at(1));
    const y2 = await save(db, fields({ status: 'delayed', problems: '场地已落实，资金待拨付' }), at(3));
    expect(y.id).not.toBe(x.id);
    expect(y.parents).toEqual([x.id]);
    expect(y2.id).toBe(y.id);
    expect(await db.revisions.get(x.id)).toEqual(exported);
    expect(await listRevisions(db, KEY)).toHaveLength(2);

    // The second bundle merges by ancestry: both sides' changes, no conflict.
    const bundle2 = await exportAll(db);
    expect(await db.revisions.get(y.id)).toMatchObject({ fields: { problems: '场地已落实，资金待拨付' } });
    const plan = await importInto(sup, bundle2);
    const k = plan.keys.find((p) => p.key === KEY)!;
    expect(k.outcome).toBe('merged');
    expect(k.conflicts).toEqual([]);
    expect(await getAnnotation(sup, 'T1-09', '320102')).toMatchObject({ status: 'delayed', problems: '场地已落实，资金待拨付', nextSteps: '督办跟进' });
    // The supervisor holds the district's revisions exactly as the district does.
    for (const id of [x.id, y.id]) expect(await sup.revisions.get(id)).toEqual(await db.revisions.get(id));

    // A later save at the district after the second export is again a new revision.
    const z = await save(db, fields({ status: 'delayed', problems: '资金已拨付' }), at(4));
    expect(z.parents).toEqual([y.id]);
  });

  it('a colleague who imported it and nothing since fast-forwards to the later bundle', async () => {
    const x = await save(db, fields({ results: '完成一半' }), at(0));
    const other = await newDb();
    await importInto(other, await exportAll(db));
    await save(db, fields({ results: '完成大半' }), at(1));
    const plan = await importInto(other, await exportAll(db));
    expect(plan.keys.find((p) => p.key === KEY)).toMatchObject({ outcome: 'fast_forward', conflicts: [] });
    expect((await getAnnotation(other, 'T1-09', '320102'))?.results).toBe('完成大半');
    expect((await other.revisions.get(x.id))?.fields.results).toBe('完成一半');
  });

  it('a frozen snapshot pins the heads it records: they are not amended afterwards', async () => {
    const x = await save(db, fields({ status: 'on_track', results: '初稿' }), at(0));
    const p = await savePeriod(db, { name: '2026年度', kind: 'annual', start: '2026-01-01', end: '2026-12-31' });
    if (!p.ok) throw new Error(p.error.message);
    const s = await freezeNow(db, p.value.id, district, corpus.hash, at(1));
    if (!s.ok) throw new Error(s.error.message);
    const y = await save(db, fields({ status: 'on_track', results: '定稿' }), at(2));
    expect(y.id).not.toBe(x.id);
    expect((await db.revisions.get(x.id))?.fields.results).toBe('初稿');
  });
});
