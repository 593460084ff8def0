/**
 * Import into the real database module: round trip into an empty profile, a second import of the
 * same bundle changes nothing, a failing bundle writes nothing, and undo restores the exact
 * previous state. (The pure verify/merge rules have their own unit tests.)
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Blob as NodeBlob } from 'node:buffer';
import { loadCorpus } from '../../src-main/main/services/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { saveAnnotation } from '../../src-renderer/src/db/repo';
import { applyImport, buildExport, previewImport, undoImport } from '../../src-renderer/src/features/bundles/bundleService';

// jsdom's Blob cannot be stored by fake-indexeddb (it comes back empty); Chromium's can.
globalThis.Blob = NodeBlob as unknown as typeof Blob;

let corpus: Corpus;
let db: PilotDb;
const me: Author = { name: '王督办', unitCode: 'SJBM' };

beforeAll(() => {
  const r = loadCorpus();
  if (!r.ok) throw new Error(r.error.message);
  corpus = r.value;
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
    await saveAnnotation(db, 'T1-01', '320102', { ...(await import('../../src-main/shared/domain')).emptyFields(), status: 'delayed', problems: '本机的问题' }, me);
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
