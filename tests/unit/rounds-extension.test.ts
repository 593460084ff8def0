/**
 * 延期申请, reports from accepted data and the review summary per unit, in the shared core: a district
 * asks for a later deadline in its 报送 (bundle format version 5), the supervisor approves it in
 * review, the district imports the review and the approved deadline counts, with its provenance, in
 * the task's history and the ledger; a district cannot approve its own extension; a report can be
 * built from the last accepted state of each task only.
 */
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, MIGRATIONS, checkMigrations, migrateRaw } from '../../src-main/shared/bundle/format';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { Annotation, Author, Revision } from '../../src-main/shared/domain';
import { buildExport } from '../../src-main/shared/services/exportService';
import { buildReview, buildSubmission, issueReview, recordDecision, recordSubmission } from '../../src-main/shared/rounds/service';
import { approvedExtension, effectiveDeadline, reviewStateOf, roundReviewSummary, taskRoundHistory } from '../../src-main/shared/rounds/model';
import { acceptedData } from '../../src-main/shared/rounds/accepted';
import { buildReportModel } from '../../src-main/shared/report/model';
import type { MemoryStore } from '../../src-main/shared/store/memoryStore';
import { DISTRICT, SUPERVISOR, corpus, tamper } from './bundle-fixtures';
import { QINHUAI, counts, fileCtx, importInto, read, setup } from './round-fixtures';

const KEY = 'T1-02|320102';

/** Edits an annotation in a store as the app's write path does: a revision, then the annotation. */
async function edit(store: MemoryStore, key: string, change: Partial<Annotation>, at: string, author: Author, id: string): Promise<void> {
  const a = (await store.annotations.get(key))!;
  const { key: _k, taskId, unitCode, head, updatedAt: _u, updatedBy: _b, ...fields } = a;
  const next = { ...fields, ...change } as Revision['fields'];
  await store.revisions.put({ id, key, taskId, unitCode, parents: [head], author, at, kind: 'edit', changed: Object.keys(change) as Revision['changed'], fields: next });
  await store.annotations.put({ ...a, ...next, head: id, updatedAt: at, updatedBy: author });
}

/** 玄武区 asks to move T1-02 from its deadline to 2027-06-30; the supervisor imports the 报送. */
async function asked() {
  const env = await setup();
  await edit(env.xuanwu, KEY, { deadline: '2026-12-31' }, '2026-11-04T00:00:00.000Z', DISTRICT, 'e-dl');
  const s = await buildSubmission(env.xuanwu, env.round.id, '320102', {
    ...fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-1'),
    extensions: [{ taskId: 'T1-02', from: '2026-12-31', to: '2027-06-30', reason: '用地审批尚未完成' }],
  });
  if (!s.ok) throw new Error(s.error.message);
  await recordSubmission(env.xuanwu, s.value.receipt);
  expect((await importInto(env.sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
  return { ...env, submissionBytes: s.value.bytes };
}

describe('bundle format version 5', () => {
  it('is version 5, the last migration lifting version 4', () => {
    expect(FORMAT_VERSION).toBe(5);
    expect(checkMigrations(MIGRATIONS)).toBeNull();
    expect(MIGRATIONS.at(-1)).toMatchObject({ from: 4, to: 5 });
  });

  it('a version 4 submission file (no 延期申请) still imports at the supervisor', async () => {
    const { sup, xuanwu, round } = await setup();
    const s = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-v4'));
    if (!s.ok) throw new Error(s.error.message);
    const v4 = tamper(s.value.bytes, { manifest: (m) => (m.formatVersion = 4), rehash: true });
    expect(read(v4).manifest.formatVersion).toBe(5);
    expect((await importInto(sup, v4, SUPERVISOR)).ok).toBe(true);
    expect((await sup.submissions.get('sub-v4'))?.extensions).toBeUndefined();
  });

  it('a version 4 reader refuses a version 5 file asking to upgrade', () => {
    const r = migrateRaw({ manifest: {}, records: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } }, 5, MIGRATIONS.slice(0, 3), 4);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('格式版本 5，本软件支持到版本 4');
  });
});

describe('延期申请', () => {
  it('travels in the 报送, is approved in review, and moves the deadline at the district with its provenance', async () => {
    const { sup, xuanwu, round } = await asked();
    expect((await sup.submissions.get('sub-1'))?.extensions).toEqual([{ taskId: 'T1-02', from: '2026-12-31', to: '2027-06-30', reason: '用地审批尚未完成' }]);
    // No request on T1-03; a refusal needs a reason.
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-03', decision: 'extend', comment: '' }, SUPERVISOR)).ok).toBe(false);
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'refuse_extension', comment: '' }, SUPERVISOR)).ok).toBe(false);
    const d = await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'extend', comment: '同意延期' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    expect(d.ok && d.value.extension).toEqual({ from: '2026-12-31', to: '2027-06-30' });
    // The review of the task itself is a separate decision.
    expect((await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'pass', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'))).ok).toBe(true);
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    await issueReview(sup, review.value.decisions);
    expect((await importInto(xuanwu, review.value.bytes, DISTRICT)).ok).toBe(true);

    const decisions = await xuanwu.reviews.toArray();
    expect(reviewStateOf(decisions, 'T1-02', '320102')?.decision).toBe('pass');
    const approved = approvedExtension(decisions, 'T1-02', '320102');
    expect(effectiveDeadline('2026-12-31', approved)).toEqual({ deadline: '2027-06-30', extended: { from: '2026-12-31', to: '2027-06-30', by: SUPERVISOR.name, at: '2026-11-09T00:00:00.000Z', roundId: round.id } });
    // A deadline the district set to something else afterwards is its own.
    expect(effectiveDeadline('2027-03-31', approved)).toEqual({ deadline: '2027-03-31' });
    const history = taskRoundHistory('T1-02', '320102', await xuanwu.submissions.toArray(), decisions);
    expect(history.filter((e) => e.extension)).toEqual([
      { at: '2026-11-08T00:00:00.000Z', who: DISTRICT, what: 'extensionAsked', roundId: round.id, comment: '用地审批尚未完成', extension: { from: '2026-12-31', to: '2027-06-30' } },
      { at: '2026-11-09T00:00:00.000Z', who: SUPERVISOR, what: 'extend', roundId: round.id, comment: '同意延期', extension: { from: '2026-12-31', to: '2027-06-30' } },
    ]);

    // The ledger prints the approved deadline and the one it replaced; an overdue count uses the new date.
    const units = await xuanwu.units.toArray();
    const model = buildReportModel({
      kind: 'ledger', corpus: corpus(), units, annotations: await xuanwu.annotations.toArray(), scope: { unitCodes: ['320102'], tables: [], statuses: [] },
      asOf: '2027-01-15', title: '', issuer: '南京市玄武区人民政府', signDate: '2027-01-15', extensions: decisions,
    });
    if (!model.ok) throw new Error(model.error.message);
    const row = model.value.ledger.find((r) => r.taskId === 'T1-02')!;
    expect(row.deadline).toBe('2027年6月30日（经批准延期，原定2026年12月31日）');
    expect(row.remarks).not.toContain('已超完成时限');
    expect(model.value.meta.provenance).toContain('完成时限经批准延期的任务1项');
    const without = buildReportModel({
      kind: 'ledger', corpus: corpus(), units, annotations: await xuanwu.annotations.toArray(), scope: { unitCodes: ['320102'], tables: [], statuses: [] },
      asOf: '2027-01-15', title: '', issuer: '南京市玄武区人民政府', signDate: '2027-01-15',
    });
    if (!without.ok) throw new Error(without.error.message);
    expect(without.value.ledger.find((r) => r.taskId === 'T1-02')!.deadline).toBe('2026年12月31日');
  });

  it('a district cannot approve its own extension: an approval in a district bundle is refused, nothing written', async () => {
    const { sup, xuanwu, qinhuai, round } = await asked();
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'extend', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    const approval = review.value.decisions;

    // 玄武区 writes the approval into its own bundle (an official's export) and hands it on.
    const data = await buildExport(xuanwu, { scope: { scope: 'all' }, author: DISTRICT, appVersion: '0.1.0', corpus: corpus() });
    if (!data.ok) throw new Error(data.error.message);
    const own = read(data.value.bytes);
    const forged = writeBundle({ ...own, reviews: approval });
    for (const target of [sup, qinhuai]) {
      const before = await counts(target);
      const r = await importInto(target, forged, target === sup ? SUPERVISOR : QINHUAI);
      expect(r.ok).toBe(false);
      // 秦淮区 has no such decision: only a supervisor's file may bring one. The supervisor holds it
      // unissued: the district's copy differs from it.
      if (!r.ok) expect(r.error.message).toContain(target === qinhuai ? '审核意见只认市级督办' : '内容不同');
      expect(await counts(target)).toEqual(before);
    }
    // A submission file cannot carry it either.
    const s2 = await buildSubmission(xuanwu, round.id, '320102', fileCtx(DISTRICT, '2026-11-10T00:00:00.000Z', 'sub-2'));
    if (!s2.ok) throw new Error(s2.error.message);
    const sub = read(s2.value.bytes);
    const before = await counts(sup);
    const r = await importInto(sup, writeBundle({ ...sub, reviews: approval.map((d) => ({ ...d, submissionId: 'sub-2' })) }), SUPERVISOR).catch((e: Error) => ({ ok: false as const, error: e }));
    expect(r.ok).toBe(false);
    expect(await counts(sup)).toEqual(before);
  });

  it('refuses a review whose approved dates differ from what the district asked, writing nothing', async () => {
    const { sup, xuanwu, round } = await asked();
    await recordDecision(sup, { roundId: round.id, unitCode: '320102', taskId: 'T1-02', decision: 'extend', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    const review = await buildReview(sup, round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    const content = read(review.value.bytes);
    const changed = writeBundle({ ...content, reviews: content.reviews!.map((d) => ({ ...d, extension: { from: '2026-12-31', to: '2028-12-31' } })) });
    const before = await counts(xuanwu);
    const r = await importInto(xuanwu, changed, DISTRICT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('延期审核意见与本单位报送的延期申请不一致');
    expect(await counts(xuanwu)).toEqual(before);
  });

  it('a 报送 refuses a request for a task outside the round or an earlier date', async () => {
    const { xuanwu, round } = await setup();
    const bad = (x: { taskId: string; from: string | null; to: string; reason: string }) => buildSubmission(xuanwu, round.id, '320102', { ...fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 's'), extensions: [x] });
    const outside = corpus().tasks.find((t) => t.table === 5)!.id;
    expect((await bad({ taskId: outside, from: null, to: '2027-06-30', reason: '理由' })).ok).toBe(false);
    expect((await bad({ taskId: 'T1-02', from: '2027-06-30', to: '2027-01-01', reason: '理由' })).ok).toBe(false);
    expect((await bad({ taskId: 'T1-02', from: null, to: '2027-06-30', reason: ' ' })).ok).toBe(false);
    expect(await xuanwu.submissions.toArray()).toEqual([]);
  });
});

describe('reports from accepted data, and the review summary per unit', () => {
  async function reviewed() {
    const env = await setup();
    const s = await buildSubmission(env.xuanwu, env.round.id, '320102', fileCtx(DISTRICT, '2026-11-08T00:00:00.000Z', 'sub-1'));
    if (!s.ok) throw new Error(s.error.message);
    await recordSubmission(env.xuanwu, s.value.receipt);
    expect((await importInto(env.sup, s.value.bytes, SUPERVISOR)).ok).toBe(true);
    await recordDecision(env.sup, { roundId: env.round.id, unitCode: '320102', taskId: 'T1-01', decision: 'pass', comment: '' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    await recordDecision(env.sup, { roundId: env.round.id, unitCode: '320102', taskId: 'T1-02', decision: 'return', comment: '请补充佐证' }, SUPERVISOR, new Date('2026-11-09T00:00:00.000Z'));
    const review = await buildReview(env.sup, env.round.id, '320102', fileCtx(SUPERVISOR, '2026-11-09T01:00:00.000Z', 'rv-1'));
    if (!review.ok) throw new Error(review.error.message);
    await issueReview(env.sup, review.value.decisions);
    return env;
  }

  it('takes each task as it was in its last accepted 报送, leaves out the rest, and says so in the 说明', async () => {
    const { sup } = await reviewed();
    // The district's later draft of T1-01 reaches the supervisor (an ordinary bundle, not yet reviewed).
    await edit(sup, 'T1-01|320102', { progress: 90 }, '2026-11-20T00:00:00.000Z', DISTRICT, 'e-later');
    const all = { annotations: await sup.annotations.toArray(), revisions: await sup.revisions.toArray(), logEntries: await sup.logEntries.toArray(), evidence: await sup.evidence.toArray() };
    const acc = acceptedData(all, await sup.reviews.toArray(), await sup.submissions.toArray());
    expect(acc.annotations.map((a) => a.key)).toEqual(['T1-01|320102']);
    expect(acc.annotations[0]).toMatchObject({ progress: 55, head: 'e-320102', updatedAt: '2026-11-05T02:00:00.000Z' });
    expect(acc.leftOut).toBe(all.annotations.length - 1);
    expect(acc.logEntries.every((l) => l.taskId === 'T1-01' && l.unitCode === '320102' && l.createdAt <= '2026-11-08T00:00:00.000Z')).toBe(true);

    const model = buildReportModel({
      kind: 'district', corpus: corpus(), units: await sup.units.toArray(), annotations: acc.annotations, logEntries: acc.logEntries, evidence: acc.evidence,
      scope: { unitCodes: ['320102'], tables: [], statuses: [] }, asOf: '2026-11-30', title: '', issuer: '南京市玄武区人民政府', signDate: '2026-11-30', acceptedOnly: { leftOut: acc.leftOut },
    });
    if (!model.ok) throw new Error(model.error.message);
    expect(model.value.meta.provenance).toContain(`仅计入经市级督办审核通过（含销号）的数据：每项任务按最后一次审核通过的报送时的状态计，另有${acc.leftOut}条批注尚未审核通过，未计入`);
    expect(model.value.ledger.map((r) => r.taskId)).toEqual(['T1-01']);
  });

  it('counts per unit: submitted or not, accepted, returned, awaiting review', async () => {
    const { sup, round } = await reviewed();
    const summary = roundReviewSummary(round, await sup.submissions.toArray(), await sup.reviews.toArray());
    const updated = (await sup.submissions.get('sub-1'))!.updatedTaskIds;
    expect(summary).toEqual([
      { unitCode: '320102', state: 'onTime', accepted: 1, returned: 1, pending: updated.filter((t) => t !== 'T1-01' && t !== 'T1-02').length },
      { unitCode: '320104', state: 'missing', accepted: 0, returned: 0, pending: 0 },
    ]);
  });
});
