/**
 * The import service over the memory store, as the command line runs it: an import is all or
 * nothing there too, and undo gives back exactly what was there (the app's Dexie store is covered by
 * tests/dom/bundle-import.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { DemoData } from '../../src-main/shared/bundle/demo';
import { applyImport, previewImport, undoImport } from '../../src-main/shared/services/importService';
import { createMemoryStore, type MemoryStore } from '../../src-main/shared/store/memoryStore';
import { ctx, divergentBundles, SUPERVISOR } from './bundle-fixtures';

function content(data: DemoData) {
  const r = readBundle(writeBundle(data), ctx());
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Every data row of the store, for exact before/after comparisons. */
async function rows(s: MemoryStore) {
  return {
    units: await s.units.toArray(),
    annotations: await s.annotations.toArray(),
    revisions: await s.revisions.toArray(),
    logEntries: await s.logEntries.toArray(),
    evidence: await s.evidence.toArray(),
    files: [...s.files().keys()],
    periods: await s.periods.toArray(),
    snapshots: await s.snapshots.toArray(),
  };
}

const sorted = <T extends Record<string, unknown[]>>(r: T) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))]));

describe('the import service over a memory store', () => {
  const { district, supervisor, keys } = divergentBundles();
  const now = new Date('2025-06-01T01:00:00.000Z');

  it('merges a second bundle by ancestry, and undo gives back exactly the state before it', async () => {
    const store = createMemoryStore();
    const first = await previewImport(store, content(district));
    expect((await applyImport(store, first, {}, { author: SUPERVISOR, fileName: 'd', now })).ok).toBe(true);
    const before = sorted(await rows(store));

    const second = await previewImport(store, content(supervisor));
    const outcome = Object.fromEntries(second.keys.filter((k) => Object.values(keys).includes(k.key)).map((k) => [k.key, k.outcome]));
    expect(outcome).toEqual({ [keys.clockBehind]: 'unchanged', [keys.bothChanged]: 'conflict', [keys.different]: 'merged' });
    // Without a decision for the conflict nothing is written, as in the app.
    const undecided = await applyImport(store, second, {}, { author: SUPERVISOR, fileName: 's', now });
    expect(!undecided.ok && undecided.error.code).toBe('merge.undecided');
    expect(sorted(await rows(store))).toEqual(before);

    const applied = await applyImport(store, second, {}, { author: SUPERVISOR, fileName: 's', now, prefer: 'theirs' });
    if (!applied.ok || !applied.value.importId) throw new Error('nothing imported');
    expect((await store.annotations.get(keys.bothChanged))?.problems).toBe('市里记录的问题：配套资金缺口');
    expect((await undoImport(store, applied.value.importId, SUPERVISOR, now)).ok).toBe(true);
    expect(sorted(await rows(store))).toEqual(before);
    expect((await store.imports.get(applied.value.importId))?.undoneAt).toBe(now.toISOString());
  });

  it('dates a merged annotation by the import, or — as the command line asks — by its merge revision', async () => {
    for (const mergesDated of ['now', 'merge'] as const) {
      const store = createMemoryStore();
      const first = await previewImport(store, content(district));
      await applyImport(store, first, {}, { author: SUPERVISOR, fileName: 'd', now });
      const second = await previewImport(store, content(supervisor));
      const r = await applyImport(store, second, {}, { author: SUPERVISOR, fileName: 's', now, prefer: 'mine', mergesDated });
      expect(r.ok).toBe(true);
      const merged = (await store.annotations.get(keys.different))!;
      // The later of the two edits (the supervisor's status, 2025-05-05 03:00) is the merge revision's time.
      expect((await store.revisions.get(merged.head))?.at).toBe('2025-05-05T03:00:00.000Z');
      expect(merged.updatedAt).toBe(mergesDated === 'now' ? now.toISOString() : '2025-05-05T03:00:00.000Z');
    }
  });

  it('writes nothing when a row it would add appeared since the preview (units were already written)', async () => {
    const store = createMemoryStore();
    const bundle = content(district);
    const plan = await previewImport(store, bundle);
    await store.revisions.bulkAdd([bundle.revisions[3]!]);
    const before = sorted(await rows(store));
    const r = await applyImport(store, plan, {}, { author: SUPERVISOR, fileName: 'd', now });
    expect(!r.ok && r.error.code).toBe('import.stale_preview');
    expect(sorted(await rows(store))).toEqual(before);
    expect(await store.imports.toArray()).toEqual([]);
  });
});
