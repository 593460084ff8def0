/** A supervisor, two districts and a round between them, over memory stores (rounds tests and the round CLI test). */
import { expect } from 'vitest';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { BundleContent } from '../../src-main/shared/bundle/format';
import type { Author } from '../../src-main/shared/domain';
import { applyImport, previewImport } from '../../src-main/shared/services/importService';
import { buildExport } from '../../src-main/shared/services/exportService';
import { createMemoryStore, type MemoryStore } from '../../src-main/shared/store/memoryStore';
import { saveRound } from '../../src-main/shared/rounds/service';
import { DISTRICT, SUPERVISOR, corpus, ctx, demoDataOfUnit, withEdit } from './bundle-fixtures';

export const QINHUAI: Author = { name: '赵经办', unitCode: '320104' };
export const OPENS = '2026-11-01T01:00:00.000Z';

export function read(bytes: Uint8Array): BundleContent {
  const r = readBundle(bytes, ctx());
  if (!r.ok) throw new Error(`${r.error.message} (${r.error.detail})`);
  return r.value;
}

export async function importInto(store: MemoryStore, bytes: Uint8Array, by: Author) {
  const plan = await previewImport(store, read(bytes));
  return applyImport(store, plan, {}, { author: by, fileName: 'x.pilotbundle', prefer: 'theirs' });
}

/** Row counts of every table of a store (to show that a refused import wrote nothing). */
export async function counts(store: MemoryStore) {
  const t = ['annotations', 'revisions', 'rounds', 'submissions', 'reviews', 'imports'] as const;
  return Object.fromEntries(await Promise.all(t.map(async (n) => [n, (await store[n].toArray()).length])));
}

export const fileCtx = (author: Author, now: string, id: string) => ({ author, appVersion: '0.1.0', corpus: corpus(), now: new Date(now), newId: () => id });

/** A supervisor with a round for 玄武区 and 秦淮区 (tables 1 and 2, due 2026-11-10), and two districts that got it. */
export async function setup() {
  const sup = createMemoryStore();
  const round = await saveRound(sup, { id: 'r-2026-11', name: '2026年11月月报', unitCodes: ['320102', '320104'], tables: [1, 2], dueDate: '2026-11-10' }, SUPERVISOR, new Date(OPENS));
  if (!round.ok) throw new Error(round.error.message);
  const notice = await buildExport(sup, { scope: { scope: 'all' }, author: SUPERVISOR, appVersion: '0.1.0', corpus: corpus(), role: 'supervisor', now: new Date(OPENS) });
  if (!notice.ok) throw new Error(notice.error.message);
  const districts: MemoryStore[] = [];
  for (const [unit, author] of [[{ code: '320102', name: '玄武区', kind: 'district' } as const, DISTRICT], [{ code: '320104', name: '秦淮区', kind: 'district' } as const, QINHUAI]] as const) {
    const store = createMemoryStore();
    // Their own work (different demo seeds: record ids differ between units), edited once after the round opened: T1-01), then the round notice.
    const data = withEdit(demoDataOfUnit(unit, unit.code === '320102' ? 48 : 49), `T1-01|${unit.code}`, { progress: 55 }, '2026-11-05T02:00:00.000Z', author, `e-${unit.code}`);
    expect((await importInto(store, writeBundle(data), author)).ok).toBe(true);
    expect((await importInto(store, notice.value.bytes, author)).ok).toBe(true);
    districts.push(store);
  }
  return { sup, round: round.value, xuanwu: districts[0]!, qinhuai: districts[1]! };
}

