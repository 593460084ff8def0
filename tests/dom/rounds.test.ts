/**
 * The 督办 loop in the real database module: schema version 6 adds its tables to a version 5
 * database with the data intact; each write goes through the one write path (one `round` change);
 * a 报送 whose save dialog is cancelled records nothing; a district's submission imports into a
 * supervisor's database and its review comes back onto the district's task.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBlob } from '../support/dom';
import { testCorpus } from '../support/corpus';
import { shippedDb } from '../support/shippedSchemas';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { readBundle } from '../../src-main/shared/bundle/read';
import { DEFAULT_UNITS, emptyFields, type Author } from '../../src-main/shared/domain';
import { ok } from '../../src-main/shared/result';
import { reviewStateOf } from '../../src-main/shared/rounds/model';
import { DATA_TABLES, SCHEMA_VERSION, createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { onDataChange, type DataChange } from '../../src-renderer/src/db/mutate';
import { saveAnnotation } from '../../src-renderer/src/db/repo';
import { applyImport, buildExport, previewImport } from '../../src-renderer/src/features/bundles/bundleService';
import { decide, decisionsOfTask, issueReview, listSubmissions, saveRound, submit, type FileEnv } from '../../src-renderer/src/features/rounds/roundService';

useNodeBlob();

let corpus: Corpus;
const opened: { close(): void }[] = [];
const district: Author = { name: '李经办', unitCode: '320102' };
const supervisor: Author = { name: '王督办', unitCode: 'SJBM' };
beforeAll(() => {
  corpus = testCorpus();
});
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});
async function freshDb(): Promise<PilotDb> {
  const d = createDb(`rounds-${crypto.randomUUID()}`);
  await openDatabase(d, { persist: false });
  opened.push(d);
  return d;
}
const read = (bytes: Uint8Array) => {
  const r = readBundle(bytes, { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
async function importBytes(db: PilotDb, bytes: Uint8Array, by: Author) {
  const plan = await previewImport(db, read(bytes));
  if (plan.refusal) return { ok: false as const, error: plan.refusal };
  return applyImport(db, plan, {}, { author: by, fileName: 'f.pilotbundle' });
}
/** A save dialog that keeps what it is given (or is cancelled). */
function saver(cancel = false) {
  const files: { name: string; bytes: Uint8Array }[] = [];
  const save: FileEnv['save'] = async (bytes, name) => {
    if (cancel) return ok({ canceled: true as const });
    files.push({ name, bytes });
    return ok({ canceled: false as const, path: `/tmp/${name}` });
  };
  return { files, save };
}

describe('schema version 7', () => {
  it('adds the rounds, submissions and reviews tables to a version 5 database, data intact, and backs them up', async () => {
    const name = `rounds-v5-${crypto.randomUUID()}`;
    const v5 = shippedDb(name, 5);
    await v5.open();
    await v5.table('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u })));
    await v5.table('periods').add({ id: 'p1', name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' });
    v5.close();
    const db = createDb(name);
    opened.push(db);
    const outcome = await openDatabase(db, { persist: false });
    expect(SCHEMA_VERSION).toBe(7);
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 5 });
    expect(await db.periods.count()).toBe(1);
    expect(await db.rounds.count()).toBe(0);
    expect(DATA_TABLES).toEqual(expect.arrayContaining(['rounds', 'submissions', 'reviews']));
  });
});

describe('the write path of rounds', () => {
  it('define → 报送 (a cancelled save records nothing) → import at the supervisor → 退回补充 → the district sees it on its task', async () => {
    const sup = await freshDb();
    const xuanwu = await freshDb();
    const changes: DataChange[] = [];
    const off = onDataChange((c) => void changes.push(c));
    try {
      const round = await saveRound(sup, { id: 'r1', name: '2026年11月月报', unitCodes: ['320102'], tables: [1], dueDate: '2026-11-30' }, supervisor, new Date('2026-11-01T00:00:00.000Z'));
      if (!round.ok) throw new Error(round.error.message);
      expect(changes).toEqual([{ kind: 'round', action: 'saved', id: 'r1' }]);
      const refusedRound = await saveRound(sup, { id: 'r2', name: ' ', unitCodes: [], tables: [1], dueDate: '2026-11-30' }, supervisor);
      expect(refusedRound.ok).toBe(false);
      expect(changes).toHaveLength(1);

      // The round reaches the district in the supervisor's bundle.
      const notice = await buildExport(sup, { scope: { scope: 'all' }, author: supervisor, appVersion: '0.1.0', corpus, role: 'supervisor' });
      if (!notice.ok) throw new Error(notice.error.message);
      expect((await importBytes(xuanwu, notice.value.bytes, district)).ok).toBe(true);
      expect(await xuanwu.rounds.get('r1')).toEqual(round.value);
      await saveAnnotation(xuanwu, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', progress: 30 }, district);

      const env = (save: FileEnv['save'], now: string): FileEnv => ({ author: district, appVersion: '0.1.0', corpus, save, now: new Date(now) });
      const cancelled = await submit(xuanwu, round.value, '320102', '玄武区', env(saver(true).save, '2026-11-20T00:00:00.000Z'));
      expect(cancelled).toEqual({ ok: true, value: null });
      expect(await listSubmissions(xuanwu)).toEqual([]);
      const s = saver();
      changes.length = 0;
      const sent = await submit(xuanwu, round.value, '320102', '玄武区', env(s.save, '2026-11-20T00:00:00.000Z'));
      if (!sent.ok || !sent.value) throw new Error('not submitted');
      expect(s.files[0]!.name).toBe('报送-2026年11月月报-玄武区.pilotbundle');
      expect(await listSubmissions(xuanwu)).toEqual([sent.value.receipt]);
      expect(sent.value.receipt.updatedTaskIds).toEqual(['T1-01']);
      expect(changes.filter((c) => c.kind === 'round')).toEqual([{ kind: 'round', action: 'submitted', id: sent.value.receipt.id }]);

      expect((await importBytes(sup, s.files[0]!.bytes, supervisor)).ok).toBe(true);
      expect(await listSubmissions(sup, 'r1')).toEqual([sent.value.receipt]);
      expect((await decide(sup, { roundId: 'r1', unitCode: '320102', taskId: 'T1-01', decision: 'return', comment: '请补充佐证材料' }, supervisor)).ok).toBe(true);
      const r = saver();
      const issued = await issueReview(sup, round.value, '320102', '玄武区', { author: supervisor, appVersion: '0.1.0', corpus, save: r.save });
      if (!issued.ok || !issued.value) throw new Error('not issued');
      expect((await importBytes(xuanwu, r.files[0]!.bytes, district)).ok).toBe(true);
      const state = reviewStateOf(await decisionsOfTask(xuanwu, 'T1-01', '320102'), 'T1-01', '320102');
      expect(state).toMatchObject({ decision: 'return', comment: '请补充佐证材料', by: supervisor });
    } finally {
      off();
    }
  });
});
