/**
 * Import into the real database module: round trip into an empty profile, a second import of the
 * same bundle changes nothing, a failing bundle writes nothing, and undo restores the exact
 * previous state. (The pure verify/merge rules have their own unit tests.)
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useNodeBlob } from '../support/dom';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle, readBundleAsync } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { Decisions } from '../../src-main/shared/bundle/merge';
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { saveAnnotation } from '../../src-renderer/src/db/repo';
import { META_LAST_RESTORE } from '../../src-renderer/src/features/backups/backupService';
import { LAST_RESTORE_KEY, applyImport, buildExport, listImports, prepareImport, previewImport, readImport, undoImport } from '../../src-renderer/src/features/bundles/bundleService';

// jsdom's Blob cannot be stored by fake-indexeddb (it comes back empty); Chromium's can.
useNodeBlob();

let corpus: Corpus;
let db: PilotDb;
const me: Author = { name: '王督办', unitCode: 'SJBM' };

beforeAll(() => {
  corpus = testCorpus();
});
beforeEach(async () => {
  db = createDb(`bundle-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => db.close());

const ctx = () => ({ corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });

function demoBundle(units: number, seed: number): Uint8Array {
  const d = makeDemoData({ units, seed, corpus });
  return writeBundle(d);
}

/** Every row of every data table, for exact before/after comparisons. */
async function snapshot(d: PilotDb) {
  const out: Record<string, unknown[]> = {};
  for (const name of ['units', 'annotations', 'revisions', 'logEntries', 'evidence']) {
    out[name] = await d.table(name).orderBy(':id').toArray();
  }
  out.attachments = (await d.attachments.toArray()).map((a) => ({ hash: a.hash, size: a.size }));
  return out;
}

/**
 * Applies a preview that something written since has made stale: refused as `import.stale_preview`,
 * with not a row changed and no import record. Returns the refusal.
 */
async function expectStaleRefusal(plan: Awaited<ReturnType<typeof previewImport>>) {
  const before = await snapshot(db);
  const r = await applyImport(db, plan, {}, { author: me, fileName: 'x' });
  if (r.ok) throw new Error('the stale preview was applied');
  expect(r.error.code).toBe('import.stale_preview');
  expect(await snapshot(db)).toEqual(before);
  expect(await db.imports.count()).toBe(0);
  return r.error;
}

async function importBytes(bytes: Uint8Array, fileName = 'demo.pilotbundle') {
  const read = readBundle(bytes, ctx());
  if (!read.ok) throw new Error(read.error.message);
  const plan = await previewImport(db, read.value);
  return { plan, applied: await applyImport(db, plan, {}, { author: me, fileName }) };
}

describe('importing a bundle', { timeout: 60_000 }, () => {
  it('round-trips: export everything → import into an empty profile → the same data, files included', async () => {
    const { applied } = await importBytes(demoBundle(2, 7));
    expect(applied.ok).toBe(true);
    const source = await snapshot(db);

    const out = await buildExport(db, { scope: { scope: 'all' }, author: me, appVersion: 'test', corpus });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const other = createDb(`bundle-other-${crypto.randomUUID()}`);
    await openDatabase(other, { persist: false });
    const read = readBundle(out.value.bytes, ctx());
    if (!read.ok) throw new Error(read.error.message);
    const r = await applyImport(other, await previewImport(other, read.value), {}, { author: me, fileName: 'x' });
    expect(r.ok).toBe(true);
    expect(await snapshot(other)).toEqual(source);
    const a = await db.attachments.toArray();
    const b = await other.attachments.toArray();
    expect(a.length).toBeGreaterThan(0);
    for (const f of a) {
      const g = b.find((x) => x.hash === f.hash)!;
      expect(new Uint8Array(await g.blob.arrayBuffer())).toEqual(new Uint8Array(await f.blob.arrayBuffer()));
    }
    other.close();
  });

  it('changes nothing when the same bundle is imported twice', async () => {
    const bytes = demoBundle(2, 11);
    await importBytes(bytes);
    const after1 = await snapshot(db);
    const imports1 = await db.imports.count();
    const { plan, applied } = await importBytes(bytes);
    expect(plan.counts.total.new + plan.counts.total.updated + plan.counts.total.conflicts).toBe(0);
    expect(applied.ok && applied.value.importId).toBeNull();
    expect(await snapshot(db)).toEqual(after1);
    expect(await db.imports.count()).toBe(imports1);
  });

  it('undo restores the exact previous state, and re-importing afterwards works again', async () => {
    // Local work first, on a task the bundle also annotates.
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'delayed', problems: '本机的问题' }, me);
    const before = await snapshot(db);
    const { applied } = await importBytes(demoBundle(1, 3));
    expect(applied.ok).toBe(true);
    if (!applied.ok || !applied.value.importId) throw new Error('nothing imported');
    expect(await snapshot(db)).not.toEqual(before);

    const undone = await undoImport(db, applied.value.importId, me);
    expect(undone.ok).toBe(true);
    expect(await snapshot(db)).toEqual(before);
    // The undo is recorded on the import.
    expect((await db.imports.get(applied.value.importId))?.undoneAt).toBeTruthy();
    // Undoing twice is refused.
    expect((await undoImport(db, applied.value.importId, me)).ok).toBe(false);
    const again = await importBytes(demoBundle(1, 3));
    expect(again.plan.counts.total.new + again.plan.counts.total.updated + again.plan.counts.total.conflicts).toBeGreaterThan(0);
  });

  it('refuses to undo when an imported annotation was edited since', async () => {
    const { applied } = await importBytes(demoBundle(1, 5));
    if (!applied.ok || !applied.value.importId) throw new Error('nothing imported');
    const a = (await db.annotations.toArray())[0]!;
    const { key: _k, taskId, unitCode, head: _h, updatedAt: _u, updatedBy: _b, ...fields } = a;
    await saveAnnotation(db, taskId, unitCode, { ...fields, nextSteps: `${fields.nextSteps}（导入后补充）` }, me);
    const r = await undoImport(db, applied.value.importId, me);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/再次修改/);
  });

  it('writes zero rows for a bundle that fails verification', async () => {
    const before = await snapshot(db);
    const bytes = demoBundle(1, 9);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    const read = readBundle(bytes, ctx());
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await snapshot(db)).toEqual(before);
  });
});

/** What the app does with a chosen file (BundlesView): prepare, then apply a plan with the file's hash. */
async function openFile(bytes: Uint8Array, fileName = 'demo.pilotbundle') {
  let verified = 0;
  const prepared = await prepareImport(db, bytes, (b) => {
    verified++;
    return readBundleAsync(b, ctx());
  });
  if (!prepared.ok) throw new Error(prepared.error.message);
  const p = prepared.value;
  // Every conflict (if any) decided as 「采用对方」, as a person could.
  const decisions: Decisions = {};
  if (p.kind === 'plan') for (const k of p.plan.keys) for (const c of k.conflicts) (decisions[k.key] ??= {})[c.field] = { take: 'theirs' };
  const applied = p.kind === 'plan' ? await applyImport(db, p.plan, decisions, { author: me, fileName, bundleSha256: p.sha256 }) : null;
  return { prepared: p, applied, verified };
}

describe('opening a bundle file that was imported before', { timeout: 60_000 }, () => {
  it('answers the same bytes at once as already here: not verified again, nothing written', async () => {
    const bytes = demoBundle(2, 13);
    const first = await openFile(bytes);
    expect(first.prepared.kind).toBe('plan');
    expect(first.applied?.ok && first.applied.value.importId).toBeTruthy();
    const after1 = await snapshot(db);
    const imports1 = await db.imports.toArray();

    const again = await openFile(bytes);
    expect(again.prepared.kind).toBe('present');
    expect(again.verified).toBe(0);
    if (again.prepared.kind === 'present') expect(again.prepared.record.id).toBe(first.applied?.ok && first.applied.value.importId);
    expect(await snapshot(db)).toEqual(after1);
    expect(await db.imports.toArray()).toEqual(imports1);
  });

  it('a bundle with other bytes still goes the full way (verified and previewed)', async () => {
    await openFile(demoBundle(1, 13));
    const other = await openFile(demoBundle(2, 13));
    expect(other.prepared.kind).toBe('plan');
    expect(other.verified).toBe(1);
  });

  it('after undo, the same bytes import again — and are then answered as here', async () => {
    const bytes = demoBundle(1, 17);
    const before = await snapshot(db);
    const first = await openFile(bytes);
    if (!first.applied?.ok || !first.applied.value.importId) throw new Error('nothing imported');
    expect((await undoImport(db, first.applied.value.importId, me)).ok).toBe(true);
    expect(await snapshot(db)).toEqual(before);

    const second = await openFile(bytes);
    expect(second.prepared.kind).toBe('plan');
    if (second.prepared.kind === 'plan') expect(second.prepared.plan.counts.total.new).toBeGreaterThan(0);
    expect(second.applied?.ok && second.applied.value.written.revisions).toBeGreaterThan(0);
    expect((await openFile(bytes)).prepared.kind).toBe('present');
  });

  it('after undoing an earlier import that brought some of its head revisions, the file is checked in full again', async () => {
    // 玄武区 alone, then 玄武区 + 秦淮区 (the same 玄武区 rows: only 秦淮区 is written).
    const xuanwu = await openFile(demoBundle(1, 29));
    if (!xuanwu.applied?.ok || !xuanwu.applied.value.importId) throw new Error('nothing imported');
    const both = demoBundle(2, 29);
    const second = await openFile(both);
    if (!second.applied?.ok || !second.applied.value.importId) throw new Error('nothing imported');
    const rec = (await readImport(db, second.applied.value.importId))!;
    const xuanwuHeads = (await db.annotations.where('unitCode').equals('320102').toArray()).map((a) => a.head);
    expect(xuanwuHeads.length).toBeGreaterThan(0);
    expect(xuanwuHeads.every((h) => rec.bundleHeads!.includes(h))).toBe(true);
    expect(rec.after.revisionIds.some((id) => xuanwuHeads.includes(id))).toBe(false);
    expect((await openFile(both)).prepared.kind).toBe('present');

    // Undoing the first import removes 玄武区's revisions — heads of the second file too.
    expect((await undoImport(db, xuanwu.applied.value.importId, me)).ok).toBe(true);
    const again = await openFile(both);
    expect(again.prepared.kind).toBe('plan');
    expect(again.verified).toBe(1);
    expect(again.applied?.ok && again.applied.value.written.annotations).toBe(xuanwuHeads.length);
    expect((await openFile(both)).prepared.kind).toBe('present');
  });

  it('after a restore from a backup, the file is checked in full again', async () => {
    const bytes = demoBundle(1, 19);
    const first = await openFile(bytes);
    if (!first.applied?.ok || !first.applied.value.importId) throw new Error('nothing imported');
    expect((await openFile(bytes)).prepared.kind).toBe('present');

    // A restore recorded after the import: the import record no longer vouches for the data.
    expect(LAST_RESTORE_KEY).toBe(META_LAST_RESTORE);
    await db.meta.put({ key: META_LAST_RESTORE, value: {}, at: new Date(Date.now() + 1000).toISOString() });
    const afterRestore = await openFile(bytes);
    expect(afterRestore.prepared.kind).toBe('plan');
    expect(afterRestore.verified).toBe(1);
  });

  it('keeps only keys and heads of what it wrote in the import record, and undo is still exact', async () => {
    await saveAnnotation(db, 'T1-02', '320102', { ...emptyFields(), status: 'on_track', results: '本机成效' }, me);
    const before = await snapshot(db);
    const first = await openFile(demoBundle(1, 23));
    if (!first.applied?.ok || !first.applied.value.importId) throw new Error(`nothing imported: ${JSON.stringify(first.applied)}`);
    const rec = (await readImport(db, first.applied.value.importId))!;
    expect(rec.after.annotations.length).toBeGreaterThan(0);
    for (const a of rec.after.annotations) expect(Object.keys(a).sort()).toEqual(['head', 'key', 'taskId', 'unitCode']);
    // Log entries and evidence: the id and the time written, which undo checks against later changes.
    for (const e of [...rec.after.logEntries, ...rec.after.evidence]) expect(Object.keys(e)).toEqual(['id', 'updatedAt']);
    // The local edit was merged: the merge revision is the import's, and undo removes it.
    expect(rec.summary.conflicts + rec.summary.updated).toBeGreaterThan(0);
    expect(rec.after.revisionIds.some((id) => id.startsWith('m-'))).toBe(true);
    // The history and the look-up of a re-opened file read the record without those lists.
    const [listed] = await listImports(db);
    expect(listed!.id).toBe(rec.id);
    expect(['before', 'after', 'bundleHeads'].filter((k) => k in listed!)).toEqual([]);
    expect((await undoImport(db, rec.id, me)).ok).toBe(true);
    expect(await snapshot(db)).toEqual(before);
    expect((await readImport(db, rec.id))?.after.revisionIds).toEqual(rec.after.revisionIds);
  });

  it('refuses to apply a preview that local edits have overtaken, writing nothing', async () => {
    const read = readBundle(demoBundle(1, 29), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = await previewImport(db, read.value);
    const k = plan.keys.find((x) => x.outcome === 'new')!;
    // Saved after the preview: the plan would have overwritten it without a merge.
    await saveAnnotation(db, k.taskId, k.unitCode, { ...emptyFields(), problems: '预览之后的本机修改' }, me);
    expect((await expectStaleRefusal(plan)).message).toMatch(/重新选择批注包/);
  });

  it('refuses to apply when a revision it would add appeared since the preview, writing nothing', async () => {
    const read = readBundle(demoBundle(1, 37), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = await previewImport(db, read.value);
    await db.revisions.add(read.value.revisions[5]!);
    await expectStaleRefusal(plan);
  });

  it('refuses to apply when a log entry it would add appeared since the preview, writing nothing', async () => {
    const read = readBundle(demoBundle(1, 31), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = await previewImport(db, read.value);
    // Another window wrote rows with the same ids after the preview: adding over them would lose them.
    await db.logEntries.add({ ...read.value.logEntries[0]!, updatedAt: new Date().toISOString() });
    await expectStaleRefusal(plan);
  });

  it('a copy of the plan (structured clone) is still refused when rows it would add appeared since the preview', async () => {
    // The preview travels as data (a store, a worker, a serialised state): what it saw must travel with it.
    const read = readBundle(demoBundle(1, 33), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const plan = structuredClone(await previewImport(db, read.value));
    await db.logEntries.add({ ...read.value.logEntries[0]!, updatedAt: new Date().toISOString() });
    await expectStaleRefusal(plan);

    const evidencePlan = structuredClone(await previewImport(db, read.value));
    await db.evidence.add({ ...read.value.evidence[0]!, updatedAt: new Date().toISOString() });
    await expectStaleRefusal(evidencePlan);
  });

  it('a copy of the plan still updates the rows that were here at the preview', async () => {
    const read = readBundle(demoBundle(1, 35), ctx());
    if (!read.ok) throw new Error(read.error.message);
    const older = { ...read.value.logEntries[0]!, updatedAt: '2000-01-01T00:00:00.000Z' };
    await db.logEntries.add(older);
    const plan = structuredClone(await previewImport(db, read.value));
    expect(plan.logEntries.some((e) => e.id === older.id)).toBe(true);
    const r = await applyImport(db, plan, {}, { author: me, fileName: 'x' });
    expect(r.ok).toBe(true);
    expect(await db.logEntries.get(older.id)).toEqual(read.value.logEntries[0]);
    // Undo puts the row back as it was at the preview.
    if (!r.ok || !r.value.importId) throw new Error('not applied');
    expect((await undoImport(db, r.value.importId, me)).ok).toBe(true);
    expect(await db.logEntries.get(older.id)).toEqual(older);
  });
});
