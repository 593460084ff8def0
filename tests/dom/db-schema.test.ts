/**
 * The database as a person's laptop meets it: created once with the default units, reopened
 * without re-seeding, and upgraded from the first schema version with their data intact.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { Blob as NodeBlob } from 'node:buffer';
import { DEFAULT_UNITS, emptyFields, type Annotation, type LogEntry, type Revision } from '../../src-main/shared/domain';
import { docFromText } from '../../src-main/shared/richtext';
import { createDb, openDatabase, requestPersistence, SCHEMA_VERSION, type ImportWithDetail, type PilotDb } from '../../src-renderer/src/db/db';
import { getAnnotation, listLogEntries, listRevisions, listUnits, saveAnnotation } from '../../src-renderer/src/db/repo';
import { REVISION_REMOVALS_KEY, findAppliedImport, listImports, readImport, undoImport } from '../../src-renderer/src/features/bundles/bundleService';
import { freezeNow, savePeriod } from '../../src-renderer/src/features/periods/periodService';
import { loadStatusHistories } from '../../src-renderer/src/features/dashboard/loadHistories';
import { historiesFromRevisions, monthlySeries } from '../../src-main/shared/dashboard/monthly';
import { shippedDb } from '../support/shippedSchemas';

const opened: Dexie[] = [];
const freshName = () => `schema-${crypto.randomUUID()}`;
async function open(name: string, appVersion = '0.1.0'): Promise<{ db: PilotDb; outcome: Awaited<ReturnType<typeof openDatabase>> }> {
  const db = createDb(name);
  opened.push(db);
  const outcome = await openDatabase(db, { persist: false, appVersion });
  return { db, outcome };
}

afterEach(() => {
  for (const d of opened.splice(0)) d.close();
  vi.unstubAllGlobals();
});

/** GB/T 2260 codes of Nanjing's 11 districts, written out here independently of the app's list. */
const NANJING_DISTRICTS: Record<string, string> = {
  玄武区: '320102',
  秦淮区: '320104',
  建邺区: '320105',
  鼓楼区: '320106',
  浦口区: '320111',
  栖霞区: '320113',
  雨花台区: '320114',
  江宁区: '320115',
  六合区: '320116',
  溧水区: '320117',
  高淳区: '320118',
};

describe('a new database', () => {
  it('is created with the 13 units: 11 districts with GB/T 2260 codes, 江北新区 and 市级部门', async () => {
    const { db, outcome } = await open(freshName(), '0.1.0');
    expect(outcome.created).toBe(true);
    expect(outcome.upgradedFrom).toBeNull();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const units = await listUnits(db);
    expect(units).toHaveLength(13);
    expect(units.map((u) => u.order)).toEqual([...units.map((u) => u.order)].sort((a, b) => a - b));
    const districts = units.filter((u) => u.kind === 'district');
    expect(Object.fromEntries(districts.map((u) => [u.name, u.code]))).toEqual(NANJING_DISTRICTS);
    expect(units.filter((u) => u.kind !== 'district').map((u) => u.name)).toEqual(['江北新区', '市级部门']);
    expect(units.every((u) => u.active)).toBe(true);
    expect(await db.meta.get('schema')).toMatchObject({ value: { version: SCHEMA_VERSION, createdBy: '0.1.0' } });
    expect(await db.meta.get('upgradedFrom')).toBeUndefined();
  });

  it('is seeded once: reopening keeps the units as the person edited them', async () => {
    const name = freshName();
    const first = await open(name);
    await first.db.units.update('JBXQ', { name: '南京江北新区' });
    await first.db.units.update('320118', { active: false });
    first.db.close();

    const again = await open(name, '0.1.1');
    expect(again.outcome.created).toBe(false);
    const units = await listUnits(again.db);
    expect(units).toHaveLength(13);
    expect(units.find((u) => u.code === 'JBXQ')?.name).toBe('南京江北新区');
    expect(units.find((u) => u.code === '320118')?.active).toBe(false);
    expect(await again.db.meta.get('schema')).toMatchObject({ value: { createdBy: '0.1.0' } });
    expect(await again.db.meta.get('lastOpenedBy')).toMatchObject({ value: '0.1.1' });
  });
});

describe('migration from schema version 1', () => {
  it('keeps every row written under version 1 and runs the version 2 upgrade', async () => {
    const name = freshName();
    // The first shipped schema, as it was (tests/support/shippedSchemas, never the module under test:
    // the point is to catch the module drifting from what is on people's disks).
    const v1 = shippedDb(name, 1);
    await v1.open();

    const author = { name: '王芳', unitCode: '320104' };
    const fields = { ...emptyFields(), status: 'on_track' as const, progress: 40, deadline: '2025-06-30', problems: '审批链条长' };
    const revision: Revision = {
      id: 'rev-1',
      key: 'T1-09|320104',
      taskId: 'T1-09',
      unitCode: '320104',
      parents: [],
      author,
      at: '2024-01-05T02:00:00.000Z',
      kind: 'edit',
      changed: ['status', 'progress', 'deadline', 'problems'],
      fields,
    };
    const annotation: Annotation = {
      ...fields,
      key: 'T1-09|320104',
      taskId: 'T1-09',
      unitCode: '320104',
      head: 'rev-1',
      updatedAt: revision.at,
      updatedBy: author,
    };
    const logWithStamp: LogEntry = {
      id: 'log-1',
      taskId: 'T1-09',
      unitCode: '320104',
      date: '2024-01-04',
      body: docFromText('召开推进会'),
      author,
      createdAt: '2024-01-04T08:00:00.000Z',
      updatedAt: '2024-01-04T09:00:00.000Z',
      deleted: false,
    };
    // An early-build entry without updatedAt / deleted: what the upgrade has to repair.
    const logWithoutStamp = { id: 'log-2', taskId: 'T1-09', unitCode: '320104', date: '2023-11-20', body: docFromText('印发实施方案'), author, createdAt: '2023-11-20T03:00:00.000Z' };
    const units = DEFAULT_UNITS.map((u) => (u.code === 'SJBM' ? { ...u, name: '市级有关部门' } : { ...u }));
    const fileBytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]);

    await v1.table('units').bulkAdd(units);
    await v1.table('profile').put({ id: 'local', name: '王芳', unitCode: '320104', language: 'zh-CN', role: 'official', updatedAt: '2024-01-01T00:00:00.000Z' });
    await v1.table('revisions').add(revision);
    await v1.table('annotations').add(annotation);
    await v1.table('logEntries').bulkAdd([logWithStamp, logWithoutStamp]);
    await v1.table('attachments').add({ hash: 'ab'.repeat(32), name: '方案.pdf', mime: 'application/pdf', size: 7, blob: new NodeBlob([fileBytes]), addedAt: '2024-01-05T00:00:00.000Z' });
    await v1.table('evidence').add({
      id: 'ev-1', taskId: 'T1-09', unitCode: '320104', title: '实施方案', kind: 'policy', docNumber: '秦政发〔2023〕5号', date: '2023-11-20',
      attachmentHash: 'ab'.repeat(32), fileName: '方案.pdf', mime: 'application/pdf', size: 7, author,
      createdAt: '2024-01-05T00:00:00.000Z', updatedAt: '2024-01-05T00:00:00.000Z', deleted: false,
    });
    v1.close();

    const { db, outcome } = await open(name, '0.2.0');
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 1 });
    expect(db.verno).toBe(SCHEMA_VERSION);

    // Intact: every row as written, nothing re-seeded.
    expect(await db.annotations.toArray()).toEqual([annotation]);
    expect(await db.revisions.toArray()).toEqual([revision]);
    expect(await listUnits(db)).toEqual(units);
    expect(await db.profile.get('local')).toMatchObject({ name: '王芳', unitCode: '320104' });
    expect(await db.evidence.get('ev-1')).toMatchObject({ title: '实施方案', attachmentHash: 'ab'.repeat(32) });
    const file = await db.attachments.get('ab'.repeat(32));
    expect(new Uint8Array(await file!.blob.arrayBuffer())).toEqual(fileBytes);
    expect(await db.logEntries.get('log-1')).toEqual(logWithStamp);

    // The upgrade ran: the old entry got its updatedAt (so the index finds it), the facts were recorded.
    expect(await db.logEntries.get('log-2')).toEqual({ ...logWithoutStamp, updatedAt: logWithoutStamp.createdAt, deleted: false });
    expect((await db.logEntries.where('updatedAt').above('').primaryKeys()).sort()).toEqual(['log-1', 'log-2']);
    expect(await db.meta.get('upgradedFrom')).toMatchObject({ value: 1 });
    expect(await db.meta.get('origin')).toMatchObject({ value: location.origin });
    expect(await db.meta.get('schema')).toBeUndefined(); // it was not created by this version
    expect(await listLogEntries(db, 'T1-09', '320104')).toHaveLength(2);

    // The new table works, and the old data keeps working with the repository.
    const record = {
      id: 'imp-1', at: '2024-02-01T00:00:00.000Z', fileName: '秦淮区.pilotbundle', author,
      summary: { created: 0, updated: 0, unchanged: 1, conflicts: 0 },
    };
    await db.imports.add(record);
    expect(await db.imports.get('imp-1')).toEqual(record);
    const saved = await saveAnnotation(db, 'T1-09', '320104', { ...fields, progress: 60 }, author);
    expect(saved.ok && 'revision' in saved.value && saved.value.revision.parents).toEqual(['rev-1']);
    expect((await listRevisions(db, 'T1-09|320104')).map((r) => r.id)[1]).toBe('rev-1');
    expect((await getAnnotation(db, 'T1-09', '320104'))?.progress).toBe(60);

    // Reopening the upgraded database does not upgrade again.
    db.close();
    const again = await open(name, '0.2.0');
    expect(again.outcome.upgradedFrom).toBeNull();
  });
});

describe('migration from schema version 2', () => {
  it('keeps every row written under version 2 and adds the period and snapshot tables', async () => {
    const name = freshName();
    // Schema version 2 as shipped (tests/support/shippedSchemas: see the v1 test).
    const v2 = shippedDb(name, 2);
    await v2.open();
    const author = { name: '王芳', unitCode: '320104' };
    const fields = { ...emptyFields(), status: 'delayed' as const, progress: 30 };
    const revision: Revision = { id: 'rev-1', key: 'T2-03|320104', taskId: 'T2-03', unitCode: '320104', parents: [], author, at: '2025-01-05T02:00:00.000Z', kind: 'edit', changed: ['status', 'progress'], fields };
    const annotation: Annotation = { ...fields, key: 'T2-03|320104', taskId: 'T2-03', unitCode: '320104', head: 'rev-1', updatedAt: revision.at, updatedBy: author };
    const record: ImportWithDetail = {
      id: 'imp-1', at: '2025-02-01T00:00:00.000Z', fileName: '秦淮区.pilotbundle', author,
      summary: { created: 1, updated: 0, unchanged: 0, conflicts: 0 },
      before: { annotations: [], logEntries: [], evidence: [] },
      after: { annotations: [annotation], logEntries: [], evidence: [], revisionIds: ['rev-1'], attachmentHashes: [] },
    };
    await v2.table('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u })));
    await v2.table('revisions').add(revision);
    await v2.table('annotations').add(annotation);
    await v2.table('imports').add(record);
    await v2.table('meta').put({ key: 'schema', value: { version: 2, createdBy: '0.1.0' }, at: '2025-01-01T00:00:00.000Z' });
    v2.close();

    const { db, outcome } = await open(name, '0.3.0');
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 2 });
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.annotations.toArray()).toEqual([annotation]);
    expect(await db.revisions.toArray()).toEqual([revision]);
    expect(await readImport(db, 'imp-1')).toEqual(record);
    expect(await db.meta.get('schema')).toMatchObject({ value: { version: 2 } });
    expect(await db.meta.get('upgradedFrom')).toMatchObject({ value: 2 });
    expect(await db.periods.count()).toBe(0);
    expect(await db.snapshots.count()).toBe(0);

    // The new tables work, and the old import can still be undone.
    const period = await savePeriod(db, { name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31' });
    if (!period.ok) throw new Error(period.error.message);
    const snap = await freezeNow(db, period.value.id, author, 'c'.repeat(64));
    expect(snap.ok && snap.value.entries.map((e) => [e.key, e.status])).toEqual([['T2-03|320104', 'delayed']]);
    expect((await undoImport(db, 'imp-1', author)).ok).toBe(true);
    expect(await db.annotations.count()).toBe(0);
  });
});

describe('migration from schema version 3', () => {
  it('keeps every row written under version 3 and indexes the revisions for the monthly series', async () => {
    const name = freshName();
    // Schema version 3 as shipped (tests/support/shippedSchemas: see the v1 test).
    const v3 = shippedDb(name, 3);
    await v3.open();
    const author = { name: '王芳', unitCode: '320104' };
    const revision = (id: string, taskId: string, at: string, status: Revision['fields']['status'], parents: string[] = [], kind: Revision['kind'] = 'edit'): Revision => ({
      id, key: `${taskId}|320104`, taskId, unitCode: '320104', parents, author, at, kind, changed: ['status'],
      fields: { ...emptyFields(), status, progressNotes: docFromText(`${id} 进展`) },
    });
    const revisions = [
      revision('r1', 'T2-03', '2025-01-05T02:00:00.000Z', 'on_track'),
      revision('r2', 'T2-03', '2025-02-05T02:00:00.000Z', 'on_track', ['r1']), // no status change
      revision('r3', 'T2-03', '2025-03-05T02:00:00.000Z', 'delayed', ['r2', 'r9'], 'merge'),
      { ...revision('r4', 'T2-03', '2025-04-05T02:00:00.000Z', 'on_track', ['r3'], 'restore'), restoredFrom: 'r1' },
      revision('r9', 'T2-03', '2025-02-20T02:00:00.000Z', 'delayed', ['r1']),
      revision('s1', 'T2-04', '2025-03-10T02:00:00.000Z', 'done'),
    ];
    const annotations: Annotation[] = [revisions[3]!, revisions[5]!].map((r) => ({
      ...r.fields, key: r.key, taskId: r.taskId, unitCode: r.unitCode, head: r.id, updatedAt: r.at, updatedBy: author,
    }));
    const period = { id: 'p-1', name: '2025年度', kind: 'annual', start: '2025-01-01', end: '2025-12-31', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' };
    await v3.table('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u })));
    await v3.table('revisions').bulkAdd(revisions);
    await v3.table('annotations').bulkAdd(annotations);
    await v3.table('periods').add(period);
    // Two import records of the same file, one undone: after the upgrade the file's sha-256 finds both.
    const importRecord = { id: 'imp-1', at: '2025-03-01T00:00:00.000Z', bundleSha256: 'ab'.repeat(32), bundleHeads: [] };
    await v3.table('imports').bulkAdd([importRecord, { ...importRecord, id: 'imp-0', at: '2025-02-01T00:00:00.000Z', undoneAt: '2025-02-02T00:00:00.000Z' }]);
    await v3.table('meta').put({ key: 'schema', value: { version: 3, createdBy: '0.3.0' }, at: '2025-01-01T00:00:00.000Z' });
    v3.close();

    const { db, outcome } = await open(name, '0.4.0');
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 3 });
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.revisions.orderBy('id').toArray()).toEqual([...revisions].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await db.annotations.toArray()).toEqual(annotations);
    expect(await db.periods.toArray()).toEqual([period]);
    expect((await db.imports.where('bundleSha256').equals('ab'.repeat(32)).primaryKeys()).sort()).toEqual(['imp-0', 'imp-1']);
    // A record without undo lists (none was ever written so) is refused with a reason, nothing changed.
    const undo = await undoImport(db, 'imp-1', author);
    expect(!undo.ok && undo.error.code).toBe('import.no_detail');
    expect(await db.revisions.count()).toBe(revisions.length);
    expect(await db.meta.get('upgradedFrom')).toMatchObject({ value: 3 });
    expect(await db.meta.get('schema')).toMatchObject({ value: { version: 3 } });

    // The index was filled from the revisions already there: the series from it is the one the
    // whole revisions give.
    const scope = { asOf: '2025-04-30', unitCodes: ['320104'], taskIds: ['T2-03', 'T2-04'], unitCode: '320104' };
    const series = monthlySeries((await loadStatusHistories(db, annotations))!, scope)!;
    expect(series).toEqual(monthlySeries(historiesFromRevisions(revisions), scope));
    expect(series.byStatus).toMatchObject({ not_started: [1, 1, 0, 0], on_track: [1, 0, 0, 1], delayed: [0, 1, 1, 0], done: [0, 0, 1, 1] });

    // Reopening does not upgrade again.
    db.close();
    const again = await open(name, '0.4.0');
    expect(again.outcome.upgradedFrom).toBeNull();
  });
});

describe('migration from schema version 4', () => {
  it('moves the undo lists of every import record into their own table: the history lists the records, re-import and undo still work', async () => {
    const name = freshName();
    const v4 = shippedDb(name, 4);
    await v4.open();
    const author = { name: '王芳', unitCode: '320104' };
    const fields = { ...emptyFields(), status: 'on_track' as const, progress: 40 };
    const revision: Revision = { id: 'rev-1', key: 'T2-03|320104', taskId: 'T2-03', unitCode: '320104', parents: [], author, at: '2025-05-05T02:00:00.000Z', kind: 'edit', changed: ['status', 'progress'], fields };
    const annotation: Annotation = { ...fields, key: revision.key, taskId: 'T2-03', unitCode: '320104', head: 'rev-1', updatedAt: revision.at, updatedBy: author };
    // As applyImport wrote them under version 4: one row each, lists inside.
    const applied: ImportWithDetail = {
      id: 'imp-2', at: '2025-06-01T00:00:00.000Z', fileName: '秦淮区.pilotbundle', author,
      summary: { created: 1, updated: 0, unchanged: 0, conflicts: 0 },
      before: { annotations: [], logEntries: [], evidence: [], periods: [] },
      after: { annotations: [{ key: annotation.key, taskId: 'T2-03', unitCode: '320104', head: 'rev-1' }], logEntries: [], evidence: [], revisionIds: ['rev-1'], attachmentHashes: [], unitCodes: [], periodIds: [], snapshotIds: [], periods: [] },
      bundleSha256: 'cd'.repeat(32), bundleHeads: ['rev-1'], revisionRemovalsAtApply: 0,
    };
    const older: ImportWithDetail = { ...applied, id: 'imp-1', at: '2025-04-01T00:00:00.000Z', bundleSha256: 'ef'.repeat(32), undoneAt: '2025-04-02T00:00:00.000Z', undoneBy: author };
    await v4.table('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u })));
    await v4.table('revisions').add(revision);
    await v4.table('annotations').add(annotation);
    await v4.table('imports').bulkAdd([applied, older]);
    v4.close();

    const { db, outcome } = await open(name, '0.5.0');
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 4 });
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.meta.get('upgradedFrom')).toMatchObject({ value: 4 });
    // Each import reads back whole; the records themselves no longer carry the lists.
    expect(await readImport(db, 'imp-2')).toEqual(applied);
    expect(await readImport(db, 'imp-1')).toEqual(older);
    const listed = await listImports(db);
    expect(listed.map((r) => r.id)).toEqual(['imp-2', 'imp-1']);
    for (const r of listed) expect(['before', 'after', 'bundleHeads'].filter((k) => k in r)).toEqual([]);
    expect(listed[1]).toMatchObject({ undoneAt: older.undoneAt, summary: older.summary, fileName: older.fileName });
    expect(await db.revisions.toArray()).toEqual([revision]);
    expect(await db.annotations.toArray()).toEqual([annotation]);

    // The same file opened again is still known (by its sha-256, as before the upgrade) ...
    expect((await findAppliedImport(db, 'cd'.repeat(32)))?.id).toBe('imp-2');
    // ... also when an undo since means its heads must be counted: they come from the moved lists.
    await db.meta.put({ key: REVISION_REMOVALS_KEY, value: 1, at: new Date().toISOString() });
    expect((await findAppliedImport(db, 'cd'.repeat(32)))?.id).toBe('imp-2');
    // And the import is undone exactly from the moved lists.
    expect((await undoImport(db, 'imp-2', author)).ok).toBe(true);
    expect(await db.annotations.count()).toBe(0);
    expect(await db.revisions.count()).toBe(0);
    expect((await db.imports.get('imp-2'))?.undoneAt).toBeTruthy();

    db.close();
    const again = await open(name, '0.5.0');
    expect(again.outcome.upgradedFrom).toBeNull();
  });
});

describe('migration from schema version 5', () => {
  it('keeps every row written under version 5 and adds the report-draft tables, empty and writable', async () => {
    const name = freshName();
    const v5 = shippedDb(name, 5);
    await v5.open();
    const author = { name: '王芳', unitCode: '320104' };
    const fields = { ...emptyFields(), status: 'done' as const, progress: 100 };
    const revision: Revision = { id: 'rev-5', key: 'T1-01|320104', taskId: 'T1-01', unitCode: '320104', parents: [], author, at: '2025-09-01T02:00:00.000Z', kind: 'edit', changed: ['status', 'progress'], fields };
    const annotation: Annotation = { ...fields, key: revision.key, taskId: 'T1-01', unitCode: '320104', head: 'rev-5', updatedAt: revision.at, updatedBy: author };
    await v5.table('units').bulkAdd(DEFAULT_UNITS.map((u) => ({ ...u })));
    await v5.table('revisions').add(revision);
    await v5.table('annotations').add(annotation);
    await v5.table('meta').put({ key: 'schema', value: { version: 5, createdBy: '0.5.0' }, at: '2025-01-01T00:00:00.000Z' });
    v5.close();

    const { db, outcome } = await open(name, '0.6.0');
    expect(outcome).toMatchObject({ created: false, upgradedFrom: 5 });
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.annotations.toArray()).toEqual([annotation]);
    expect(await db.revisions.toArray()).toEqual([revision]);
    expect(await db.meta.get('schema')).toMatchObject({ value: { version: 5 } });
    expect(await db.reportDrafts.count()).toBe(0);
    const draftRow = { id: 'd1', updatedAt: '2025-09-02T00:00:00.000Z' } as never;
    await db.reportDrafts.add(draftRow);
    expect(await db.reportDrafts.orderBy('updatedAt').primaryKeys()).toEqual(['d1']);
  });
});

describe('persistent storage', () => {
  it('reports whether the browser granted it', async () => {
    vi.stubGlobal('navigator', { storage: { persisted: async () => false, persist: async () => true } });
    expect(await requestPersistence()).toBe('granted');
    vi.stubGlobal('navigator', { storage: { persisted: async () => false, persist: async () => false } });
    expect(await requestPersistence()).toBe('denied');
    vi.stubGlobal('navigator', { storage: { persisted: async () => true, persist: async () => false } });
    expect(await requestPersistence()).toBe('granted');
    vi.stubGlobal('navigator', {});
    expect(await requestPersistence()).toBe('unsupported');
  });
});
