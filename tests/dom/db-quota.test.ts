/**
 * A full disk or an exhausted quota reaches the person as a message, never as a silent loss, and
 * what was already stored is intact afterwards (the failed transaction wrote nothing).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { createDb, openDatabase, type PilotDb } from '../../src-renderer/src/db/db';
import { getAnnotation, listRevisions, saveAnnotation } from '../../src-renderer/src/db/repo';

const me: Author = { name: '李明', unitCode: '320102' };
let db: PilotDb;

beforeEach(async () => {
  db = createDb(`quota-${crypto.randomUUID()}`);
  await openDatabase(db, { persist: false });
});
afterEach(() => {
  vi.restoreAllMocks();
  db.close();
});

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('storage full', () => {
  it.each([
    ['a QuotaExceededError', () => quota()],
    ['an AbortError whose inner error is QuotaExceededError', () => new Dexie.AbortError('Transaction aborted', quota())],
  ])('turns %s into a Chinese message and keeps the stored data', async (_name, makeError) => {
    const first = await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', results: '原有内容' }, me);
    expect(first.ok).toBe(true);
    const before = await getAnnotation(db, 'T1-01', '320102');

    // The revision is written first, then the annotation put fails: the whole transaction must roll back.
    vi.spyOn(db.annotations, 'put').mockImplementationOnce(() => Promise.reject(makeError()) as never);
    const r = await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done', results: '新内容' }, me);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('db.quota');
    expect(r.error.message).toMatch(/磁盘空间不足/);

    expect(await getAnnotation(db, 'T1-01', '320102')).toEqual(before);
    expect(await listRevisions(db, 'T1-01|320102')).toHaveLength(1);
  });
});
