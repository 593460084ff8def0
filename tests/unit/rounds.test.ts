/**
 * The 督办 loop in the shared core: rounds travel in bundles (format version 4; a version 2 bundle
 * still imports, a version 3 reader refuses a version 4 file asking to upgrade), a district's 报送
 * file and its receipt, 报送情况 (on time / late / not yet, in Beijing time), the supervisor's review
 * file and the district's import of it — and the files that must be refused with nothing written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { FORMAT_VERSION, MIGRATIONS, checkMigrations, migrateRaw } from '../../src-main/shared/bundle/format';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { buildExport } from '../../src-main/shared/services/exportService';
import { createMemoryStore } from '../../src-main/shared/store/memoryStore';
import { undoImport } from '../../src-main/shared/services/importService';
import { buildReview, buildSubmission, issueReview, recordDecision, recordSubmission } from '../../src-main/shared/rounds/service';
import { reviewStateOf, roundChecklist, roundStatus, taskRoundHistory, urgeText, validateExtensionRequest, validateRound } from '../../src-main/shared/rounds/model';
import type { Round, Submission } from '../../src-main/shared/rounds/schema';
import { DISTRICT, SUPERVISOR, corpus, ctx, demoDataOfUnit, expectRefused, tamper, text } from './bundle-fixtures';
import { QINHUAI, counts, fileCtx, importInto, read, setup } from './round-fixtures';

const V2_FIXTURE = new URL('../fixtures/bundles/v2-demo.pilotbundle', import.meta.url);

describe('bundle format version 4', () => {
  it('is version 4, with a contiguous migration list ending in the rounds step', () => {
    expect(FORMAT_VERSION).toBeGreaterThanOrEqual(4);
    expect(checkMigrations(MIGRATIONS)).toBeNull();
    expect(MIGRATIONS.find((m) => m.to === 4)).toMatchObject({ from: 3, to: 4 });
  });

  it('reads a real version 2 bundle (previous release) as an ordinary bundle without rounds, every record kept', async () => {
    const bytes = new Uint8Array(readFileSync(V2_FIXTURE));
    const files = unzipSync(bytes);
    const manifest = JSON.parse(text(files['manifest.json']!));
    expect(manifest.formatVersion).toBe(2);
    expect(Object.keys(files)).not.toContain('rounds.json');
    const b = read(bytes);
    expect(b.manifest).toMatchObject({ formatVersion: FORMAT_VERSION, kind: 'bundle', role: 'official', signature: null });
    expect(b.rounds).toEqual([]);
    expect(b.submissions).toEqual([]);
    expect(b.reviews).toEqual([]);
    expect(b.annotations).toHaveLength(manifest.counts.annotations);
    const store = createMemoryStore();
    const r = await importInto(store, bytes, SUPERVISOR);
    expect(r.ok).toBe(true);
    expect((await store.annotations.toArray()).length).toBe(manifest.counts.annotations);
  });

  it('a version 3 reader refuses a version 4 file with the "please upgrade" message', () => {
    const r = migrateRaw({ manifest: {}, records: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } }, 4, MIGRATIONS.slice(0, 2), 3);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bundle.future_version');
      expect(r.error.message).toContain('格式版本 4，本软件支持到版本 3');
    }
  });

  it('a version 4 bundle without rounds.json is incomplete', () => {
    const b = writeBundle({ ...demoDataOfUnit({ code: '320102', name: '玄武区', kind: 'district' }) });
    expectRefused(readBundle(tamper(b, { mutate: (f) => delete f['rounds.json'], rehash: true }), ctx()), 'bundle.entry_missing');
  });
});

describe('dates a supervisor or district types into a round', () => {
  const round = { name: '2026年11月月报', unitCodes: ['320102'], tables: [1], dueDate: '2026-11-30' };
  it('a due date is a day that exists: 2026-02-30 is refused, 2026-11-30 taken', () => {
    expect(validateRound(round)).toEqual({});
    expect(validateRound({ ...round, dueDate: '2026-02-30' }).dueDate).toMatch(/请选择截止日期/);
    expect(validateRound({ ...round, dueDate: '2026/11/30' }).dueDate).toMatch(/请选择截止日期/);
  });
  it('a 延期申请 asks for a day that exists, later than the old deadline', () => {
    const x = { from: '2026-06-30', to: '2027-06-30', reason: '用地审批尚未完成' };
    expect(validateExtensionRequest(x)).toBeNull();
    expect(validateExtensionRequest({ ...x, to: '2027-02-29' })).toMatch(/请选择申请延期后的完成时限/);
    expect(validateExtensionRequest({ ...x, to: '2026-06-30' })).toMatch(/须晚于原完成时限/);
  });
});

describe('rounds, 报送 and 报送情况', () => {
  it('a district sees its checklist with the tasks not updated since the round opened first', async () => {
    const { xuanwu, round } = await setup();
    const mine = new Map((await xuanwu.annotations.toArray()).map((a) => [a.taskId, a]));
    const list = roundChecklist(round, corpus().tasks, mine);
    const tableTasks = corpus().tasks.filter((t) => t.table <= 2);
    expect(list).toHaveLength(tableTasks.length);
    expect(list.at(-1)).toMatchObject({ taskId: 'T1-01', updated: true });
    expect(list.slice(0, -1).every((i) => !i.updated)).toBe(true);
  });

  it('the submission file carries the round, the unit, the author and the time; the supervisor sees on time / late / not yet', async () => {
    const { sup, xuanwu, qinhuai, round } = await setup();
    const s1 = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-10T15:59:59.999Z', 'sub-1'));
    if (!s1.ok) throw new Error(s1.error.message);
    const b = read(s1.value.bytes);
    expect(b.manifest).toMatchObject({ kind: 'submission', role: 'official', round: { roundId: round.id, unitCode: '320102', submissionId: 'sub-1' }, author: DISTRICT, createdAt: '2026-11-10T15:59:59.999Z', signature: null });
    expect(b.submissions).toEqual([s1.value.receipt]);
    expect(s1.value.receipt.updatedTaskIds).toEqual(['T1-01']);
    expect(new Set(b.annotations.map((a) => a.unitCode))).toEqual(new Set(['320102']));
    // Nothing is recorded until the file is saved; then the receipt is kept.
    expect(await xuanwu.submissions.toArray()).toEqual([]);
    await recordSubmission(xuanwu, s1.value.receipt);
    expect(await xuanwu.submissions.toArray()).toEqual([s1.value.receipt]);

    // 秦淮区 one millisecond into 11 November, Beijing time: late.
    const s2 = await buildSubmission(qinhuai, round.id, '320104', fileCtx(QINHUAI, '2026-11-10T16:00:00.000Z', 'sub-2'));
    if (!s2.ok) throw new Error(s2.error.message);
    for (const bytes of [s1.value.bytes, s2.value.bytes]) expect((await importInto(sup, bytes, SUPERVISOR)).ok).toBe(true);
    const status = roundStatus(round, await sup.submissions.toArray());
    expect(status.map((s) => [s.unitCode, s.state, s.tasksUpdated])).toEqual([
      ['320102', 'onTime', 1],
      ['320104', 'late', 1],
    ]);
    // The district's annotations arrived with it.
    expect((await sup.annotations.get('T1-01|320102'))?.progress).toBe(55);
  });

  it('a unit not yet submitted is on the 催报 list', () => {
    const round = { id: 'r', name: '2026年第四季度', unitCodes: ['320102', '320104', '320105'], dueDate: '2026-12-31' } as Round;
    const subs = [{ id: 's', roundId: 'r', unitCode: '320104', submittedAt: '2026-12-01T00:00:00.000Z', updatedTaskIds: [] } as unknown as Submission];
    const missing = roundStatus(round, subs).filter((s) => s.state === 'missing').map((s) => s.unitCode);
    expect(missing).toEqual(['320102', '320105']);
    expect(urgeText(round, missing, (c) => ({ '320102': '玄武区', '320105': '建邺区' })[c] ?? c)).toBe('【催报】「2026年第四季度」报送截止日期为2026年12月31日，以下单位尚未报送：玄武区、建邺区。请尽快报送。');
  });

  it('refuses a submission for a round that does not exist here, writing nothing', async () => {
    const { xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-x'));
    if (!s.ok) throw new Error(s.error.message);
    const other = createMemoryStore(); // a supervisor that never defined the round
    const before = await counts(other);
    const r = await importInto(other, s.value.bytes, SUPERVISOR);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('填报轮次「2026年11月月报」在本机不存在');
    expect(await counts(other)).toEqual(before);
  });

  it('refuses a submission file whose receipt does not match its marker, or that carries review decisions', async () => {
    const { xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-y'));
    if (!s.ok) throw new Error(s.error.message);
    expectRefused(readBundle(tamper(s.value.bytes, { manifest: (m) => (m.round.unitCode = '320104'), rehash: true }), ctx()), 'bundle.broken_reference');
    const decision = { id: 'd1', roundId: round.id, unitCode: '320102', taskId: 'T1-01', submissionId: 'sub-y', decision: 'close', comment: '', by: DISTRICT, at: '2026-11-08T00:00:00.000Z', reviewId: 'rv' };
    const forged = tamper(s.value.bytes, {
      mutate: (f) => (f['reviews.json'] = new TextEncoder().encode(JSON.stringify([decision]))),
      manifest: (m) => (m.counts.reviews = 1),
      rehash: true,
    });
    expectRefused(readBundle(forged, ctx()), 'bundle.review_not_trusted');
  });
});

describe('审核: review files', () => {
  async function submitted() {
    const env = await setup();
    const s = await buildSubmission(env.xuanwu, env.round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-1'));
    if (!s.ok) throw new Error(s.error.message);
    await recordSubmission(env.xuanwu, s.value.receipt);
    expect((await importInto(env.sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
    return env;
  }

  it('returns a task with a comment; the district imports the review and sees the decision on the task and in its history', async () => {
    const { sup, xuanwu, round } = await submitted();
    const d = await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'return', comment: '请补充佐证材料' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    expect(d.ok).toBe(true);
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-03', decision: 'return', comment: '  ' }, SUPERVISOR)).ok).toBe(false);
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    await issueReview(sup, review.value.decisions);
    expect(read(review.value.bytes).manifest).toMatchObject({ kind: 'review', role: 'supervisor', round: { reviewId: 'rv-1', submissionId: 'sub-1' } });

    expect((await importInto(xuanwu, review.value.bytes, DISTRICT)).ok).toBe(true);
    const state = reviewStateOf(await xuanwu.reviews.toArray(), 'T1-02', '320102');
    expect(state).toMatchObject({ decision: 'return', comment: '请补充佐证材料', by: SUPERVISOR });
    const history = taskRoundHistory('T1-02', '320102', await xuanwu.submissions.toArray(), await xuanwu.reviews.toArray());
    expect(history).toEqual([{ at: '2026-11-09T00:00:00.000Z', who: SUPERVISOR, what: 'return', roundId: round.id, comment: '请补充佐证材料' }]);
    // An issued decision is final.
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'pass', comment: '' }, SUPERVISOR)).ok).toBe(false);
  });

  it('refuses a replayed review and a review of an older submission, writing nothing', async () => {
    const { sup, xuanwu, round } = await submitted();
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'return', comment: '请补充' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    expect((await importInto(xuanwu, review.value.bytes, DISTRICT)).ok).toBe(true);
    let before = await counts(xuanwu);
    const again = await importInto(xuanwu, review.value.bytes, DISTRICT);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.message).toContain('已经导入过');
    expect(await counts(xuanwu)).toEqual(before);

    // The supervisor reviews a submission the district has since replaced: out of date.
    await issueReview(sup, review.value.decisions);
    const s2 = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-12T00:00:00.000Z', 'sub-2'));
    if (!s2.ok) throw new Error(s2.error.message);
    expect((await importInto(sup, s2.value.bytes, SUPERVISOR)).ok).toBe(true);
    await recordSubmission(xuanwu, s2.value.receipt);
    const s3 = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-13T00:00:00.000Z', 'sub-3'));
    if (!s3.ok) throw new Error(s3.error.message);
    await recordSubmission(xuanwu, s3.value.receipt);
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-04', decision: 'close', comment: '' }, SUPERVISOR, new Date('2026-11-12T05:00:00.000Z'));
    const stale = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-12T06:00:00.000Z', 'rv-2'));
    if (!stale.ok) throw new Error(stale.error.message);
    before = await counts(xuanwu);
    const r = await importInto(xuanwu, stale.value.bytes, DISTRICT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('过期的审核意见');
    expect(await counts(xuanwu)).toEqual(before);
  });

  it('refuses a review file from an official profile, and a district bundle carrying a 销号, writing nothing', async () => {
    const { sup, xuanwu, qinhuai, round } = await submitted();
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'close', comment: '' }, SUPERVISOR);
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    expectRefused(readBundle(tamper(review.value.bytes, { manifest: (m) => (m.role = 'official'), rehash: true }), ctx()), 'bundle.review_not_trusted');

    // 玄武区 received the 销号; an ordinary bundle that carries it from an official is refused.
    expect((await importInto(xuanwu, review.value.bytes, DISTRICT)).ok).toBe(true);
    const data = await buildExport(xuanwu, { scope: { scope: 'all' }, author: DISTRICT, appVersion: '0.1.0', corpus: corpus() });
    if (!data.ok) throw new Error(data.error.message);
    expect(read(data.value.bytes).reviews).toEqual([]); // an official's export leaves them out
    const forged = writeBundle({ ...read(data.value.bytes), manifest: { ...read(data.value.bytes).manifest, role: 'official' }, reviews: await xuanwu.reviews.toArray() });
    const before = await counts(qinhuai);
    const r = await importInto(qinhuai, forged, QINHUAI);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('审核意见只认市级督办');
    expect(await counts(qinhuai)).toEqual(before);
  });
});

describe('undoing an import of round records', () => {
  it('removes the receipts and decisions it added, and the round it brought', async () => {
    const { sup, xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-1'));
    if (!s.ok) throw new Error(s.error.message);
    await recordSubmission(xuanwu, s.value.receipt);
    const imported = await importInto(sup, s.value.bytes, SUPERVISOR);
    if (!imported.ok || !imported.value.importId) throw new Error('not imported');
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-01', decision: 'pass', comment: '' }, SUPERVISOR);
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    const back = await importInto(xuanwu, review.value.bytes, DISTRICT);
    if (!back.ok || !back.value.importId) throw new Error('review not imported');
    expect(await xuanwu.reviews.toArray()).toHaveLength(1);
    expect((await undoImport(xuanwu, back.value.importId, DISTRICT)).ok).toBe(true);
    expect(await xuanwu.reviews.toArray()).toEqual([]);
    expect((await undoImport(sup, imported.value.importId, SUPERVISOR)).ok).toBe(true);
    expect(await sup.submissions.toArray()).toEqual([]);
    expect(await sup.rounds.get(round.id)).toEqual(round); // the supervisor's own round stays
  });
});
