/**
 * Merging by revision ancestry, as supervisors rely on it: nobody's work is lost, both sides stay
 * in history, the same bundle twice changes nothing, and two supervisors merging the same
 * divergence the same way end up with the same revision.
 */
import { describe, expect, it } from 'vitest';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { FORMAT_ID, FORMAT_VERSION, type BundleContent, type Manifest } from '../../src-main/shared/bundle/format';
import {
  applyToState,
  emptyState,
  isEmptyWriteSet,
  mergeRevisionId,
  planImport,
  resolveConflicts,
  type Decisions,
  type LocalState,
  type WriteSet,
} from '../../src-main/shared/bundle/merge';
import { readBundle } from '../../src-main/shared/bundle/read';
import { selectForExport, writeBundle } from '../../src-main/shared/bundle/write';
import {
  DEFAULT_UNITS,
  annotationKey,
  changedFields,
  emptyFields,
  type Annotation,
  type AnnotationFields,
  type Author,
  type Evidence,
  type LogEntry,
  type Revision,
} from '../../src-main/shared/domain';
import { docFromText } from '../../src-main/shared/richtext';
import { corpus, ctx } from './bundle-fixtures';

const TASK = 'T1-09';
const UNIT = '320102';
const KEY = annotationKey(TASK, UNIT);
const A: Author = { name: '张伟', unitCode: UNIT };
const B: Author = { name: '王芳', unitCode: UNIT };
const C: Author = { name: '钱明', unitCode: 'SJBM' };
const NOW = '2025-07-01T00:00:00.000Z';

const at = (day: number) => new Date(Date.UTC(2024, 0, day, 8)).toISOString();

function rev(id: string, parents: Revision[], fields: Partial<AnnotationFields>, author: Author, day: number): Revision {
  const base = parents[0]?.fields ?? emptyFields();
  const f = { ...base, ...fields };
  return { id, key: KEY, taskId: TASK, unitCode: UNIT, parents: parents.map((p) => p.id), author, at: at(day), kind: 'edit', changed: changedFields(parents[0] ? base : null, f), fields: f };
}

function ann(head: Revision): Annotation {
  return { ...head.fields, key: head.key, taskId: head.taskId, unitCode: head.unitCode, head: head.id, updatedAt: head.at, updatedBy: head.author };
}

function manifest(author: Author): Manifest {
  return {
    format: FORMAT_ID,
    formatVersion: FORMAT_VERSION,
    appVersion: '0.1.0',
    corpusHash: corpus().hash,
    author,
    unitCodes: [UNIT],
    createdAt: NOW,
    scope: 'all',
    counts: { annotations: 1, revisions: 0, logEntries: 0, evidence: 0, attachments: 0 },
    entries: {},
  };
}

/** A bundle (as readBundle returns it) holding `head` and its history. */
function bundle(head: Revision, revisions: Revision[], author: Author = B, extra: Partial<BundleContent> = {}): BundleContent {
  return {
    manifest: manifest(author),
    units: [DEFAULT_UNITS[0]!],
    annotations: [ann(head)],
    revisions,
    logEntries: [],
    evidence: [],
    attachments: new Map(),
    ...extra,
  };
}

/** A local state with `head` current and the given history. */
function local(head: Revision | null, revisions: Revision[], extra: Partial<LocalState> = {}): LocalState {
  const s = emptyState();
  s.units!.set(UNIT, DEFAULT_UNITS[0]!);
  for (const r of revisions) s.revisions.set(r.id, r);
  if (head) s.annotations.set(KEY, ann(head));
  return { ...s, ...extra };
}

function resolve(state: LocalState, b: BundleContent, decisions: Decisions = {}, author: Author = C): WriteSet {
  const r = resolveConflicts(planImport(state, b), decisions, author, NOW);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const r0 = rev('r0', [], { status: 'on_track', progress: 20, results: '引进项目3个' }, A, 1);

describe('merge by revision ancestry', { timeout: 20_000 }, () => {
  it('fast-forwards when theirs descends from mine', () => {
    const r1 = rev('r1', [r0], { progress: 50 }, B, 5);
    const state = local(r0, [r0]);
    const plan = planImport(state, bundle(r1, [r0, r1]));
    expect(plan.keys[0]!.outcome).toBe('fast_forward');
    expect(plan.counts.byUnit[UNIT]).toEqual({ new: 0, updated: 1, unchanged: 0, conflicts: 0 });
    const ws = resolve(state, bundle(r1, [r0, r1]));
    expect(ws.revisions.map((r) => r.id)).toEqual(['r1']);
    const after = applyToState(state, ws);
    expect(after.annotations.get(KEY)).toEqual(ann(r1));
  });

  it('already has it: their head is mine, or an ancestor of mine → unchanged, nothing written', () => {
    const r1 = rev('r1', [r0], { progress: 50 }, A, 5);
    for (const [state, b] of [
      [local(r1, [r0, r1]), bundle(r1, [r0, r1])],
      [local(r1, [r0, r1]), bundle(r0, [r0])],
    ] as const) {
      const plan = planImport(state, b);
      expect(plan.keys[0]!.outcome).toBe('unchanged');
      expect(plan.counts.total.unchanged).toBe(1);
      expect(isEmptyWriteSet(resolve(state, b))).toBe(true);
    }
  });

  it('a new annotation takes all its revisions', () => {
    const r1 = rev('r1', [r0], { progress: 50 }, B, 5);
    const ws = resolve(local(null, []), bundle(r1, [r0, r1]));
    expect(ws.revisions.map((r) => r.id).sort()).toEqual(['r0', 'r1']);
    expect(ws.annotations).toEqual([ann(r1)]);
  });

  it('divergent edits of different fields merge by themselves into a two-parent merge revision', () => {
    const mine = rev('m1', [r0], { progress: 40 }, A, 5);
    const theirs = rev('t1', [r0], { problems: '专业人才储备不足', results: '引进项目5个' }, B, 6);
    const state = local(mine, [r0, mine]);
    const plan = planImport(state, bundle(theirs, [r0, theirs]));
    const k = plan.keys[0]!;
    expect(k.outcome).toBe('merged');
    expect(k.conflicts).toEqual([]);
    expect(k.baseId).toBe('r0');
    expect(k.takenFromTheirs.sort()).toEqual(['problems', 'results']);
    expect(plan.counts.byUnit[UNIT]!.updated).toBe(1);
    const ws = resolve(state, bundle(theirs, [r0, theirs]));
    const m = ws.revisions.find((r) => r.kind === 'merge')!;
    expect(m.parents).toEqual(['m1', 't1']);
    expect(m.fields).toEqual({ ...r0.fields, progress: 40, problems: '专业人才储备不足', results: '引进项目5个' });
    expect(m.changed.sort()).toEqual(['problems', 'results']);
    expect(m.at).toBe(theirs.at); // the later head's time
    expect(m.author).toEqual(C);
    expect(m.id).toBe(mergeRevisionId(['m1', 't1'], m.fields));
    const after = applyToState(state, ws);
    const a = after.annotations.get(KEY)!;
    expect(a.head).toBe(m.id);
    expect(a.progress).toBe(40);
    expect(a.updatedAt).toBe(NOW);
    // Both sides stay in history.
    expect(after.revisions.has('m1') && after.revisions.has('t1')).toBe(true);
  });

  it('the same change on both sides is no conflict', () => {
    const mine = rev('m1', [r0], { progress: 60 }, A, 5);
    const theirs = rev('t1', [r0], { progress: 60, nextSteps: '加快推进' }, B, 6);
    const plan = planImport(local(mine, [r0, mine]), bundle(theirs, [r0, theirs]));
    expect(plan.keys[0]!.outcome).toBe('merged');
  });

  describe('the same field changed differently on both sides', () => {
    const mine = rev('m1', [r0], { progress: 40, nextSteps: '本区意见' }, A, 5);
    const mine2 = rev('m2', [mine], { isInnovation: true }, A, 7);
    const theirs = rev('t1', [r0], { progress: 60 }, C, 6);
    const state = () => local(mine2, [r0, mine, mine2]);
    const b = () => bundle(theirs, [r0, theirs], C);

    it('is a conflict showing base, mine and theirs with author, unit and time of each side', () => {
      const plan = planImport(state(), b());
      const k = plan.keys[0]!;
      expect(k.outcome).toBe('conflict');
      expect(plan.counts.byUnit[UNIT]).toEqual({ new: 0, updated: 0, unchanged: 0, conflicts: 1 });
      expect(k.conflicts).toHaveLength(1);
      const c = k.conflicts[0]!;
      expect(c).toMatchObject({ field: 'progress', base: 20, mine: 40, theirs: 60 });
      // The revision that last changed the field on each side (m1, not the later m2).
      expect(c.mineBy).toEqual({ revisionId: 'm1', author: A, unitCode: UNIT, at: mine.at });
      expect(c.theirsBy).toEqual({ revisionId: 't1', author: C, unitCode: 'SJBM', at: theirs.at });
      // Without a decision nothing can be written.
      const undecided = resolveConflicts(plan, {}, C, NOW);
      expect(undecided.ok).toBe(false);
      if (!undecided.ok) {
        expect(undecided.error.code).toBe('merge.undecided');
        expect(undecided.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
    });

    for (const [label, decision, progress] of [
      ['keep mine', { take: 'mine' }, 40],
      ['take theirs', { take: 'theirs' }, 60],
      ['edited value', { value: 55 }, 55],
    ] as const) {
      it(`resolved by ${label}: the right fields, both parents in history`, () => {
        const ws = resolve(state(), b(), { [KEY]: { progress: decision } });
        const m = ws.revisions.find((r) => r.kind === 'merge')!;
        expect(m.parents).toEqual(['m2', 't1']);
        expect(m.fields.progress).toBe(progress);
        // Non-conflicting changes of both sides are kept.
        expect(m.fields.nextSteps).toBe('本区意见');
        expect(m.fields.isInnovation).toBe(true);
        expect(m.changed).toEqual(progress === 40 ? [] : ['progress']);
        const after = applyToState(state(), ws);
        expect(after.annotations.get(KEY)!.progress).toBe(progress);
        expect(['r0', 'm1', 'm2', 't1', m.id].every((id) => after.revisions.has(id))).toBe(true);
        // Importing the same bundle again: already have it.
        expect(isEmptyWriteSet(resolve(after, b()))).toBe(true);
      });
    }

    it('an invalid edited value is refused with a Chinese message', () => {
      const r = resolveConflicts(planImport(state(), b()), { [KEY]: { progress: { value: 101 } } }, C, NOW);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('merge.invalid_value');
        expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  });

  it('rich text conflicts too, and an edited rich value must be valid rich text', () => {
    const mine = rev('m1', [r0], { progressNotes: docFromText('本区：已出台方案') }, A, 5);
    const theirs = rev('t1', [r0], { progressNotes: docFromText('市级：请补充材料') }, C, 6);
    const state = local(mine, [r0, mine]);
    const plan = planImport(state, bundle(theirs, [r0, theirs]));
    expect(plan.keys[0]!.conflicts.map((c) => c.field)).toEqual(['progressNotes']);
    const bad = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
    expect(resolveConflicts(plan, { [KEY]: { progressNotes: { value: bad } } }, C, NOW).ok).toBe(false);
    const edited = docFromText('本区：已出台方案\n市级：请补充材料');
    const ws = resolveConflicts(plan, { [KEY]: { progressNotes: { value: edited } } }, C, NOW);
    expect(ws.ok && ws.value.annotations[0]!.progressNotes).toEqual(edited);
  });

  it('three people editing in a chain A→B→C; C’s bundle imported by A fast-forwards', () => {
    const exportOf = (s: LocalState, author: Author) => {
      const sel = selectForExport(
        { units: s.units!.size ? s.units!.values() : [DEFAULT_UNITS[0]!], annotations: s.annotations.values(), revisions: s.revisions.values(), logEntries: s.logEntries.values(), evidence: s.evidence.values(), attachments: new Map() },
        { scope: 'all' },
      );
      if (!sel.ok) throw new Error(sel.error.message);
      const read = readBundle(writeBundle({ ...sel.value, manifest: { appVersion: '0.1.0', corpusHash: corpus().hash, author, createdAt: NOW, scope: 'all' } }), ctx());
      if (!read.ok) throw new Error(read.error.message);
      return read.value;
    };
    const edit = (s: LocalState, id: string, fields: Partial<AnnotationFields>, author: Author, day: number): LocalState => {
      const head = s.revisions.get(s.annotations.get(KEY)!.head)!;
      const r = rev(id, [head], fields, author, day);
      return applyToState(s, { units: [], revisions: [r], annotations: [ann(r)], logEntries: [], evidence: [], attachments: new Map() });
    };
    let a = local(r0, [r0]);
    let b = applyToState(emptyState(), resolve(emptyState(), exportOf(a, A)));
    b = edit(b, 'rb', { progress: 45 }, B, 10);
    let c = applyToState(emptyState(), resolve(emptyState(), exportOf(b, B)));
    c = edit(c, 'rc', { status: 'mostly_done', progress: 85 }, C, 20);
    const fromC = exportOf(c, C);
    const plan = planImport(a, fromC);
    expect(plan.keys[0]!.outcome).toBe('fast_forward');
    expect(plan.revisions.map((r) => r.id).sort()).toEqual(['rb', 'rc']);
    a = applyToState(a, resolve(a, fromC));
    expect(a.annotations.get(KEY)!.head).toBe('rc');
    expect(a.annotations.get(KEY)!.progress).toBe(85);
    expect(a.revisions.get('rc')!.parents).toEqual(['rb']);
    expect(isEmptyWriteSet(resolve(a, fromC))).toBe(true);
  });

  it('two supervisors merging the same divergence the same way produce the same merge revision', () => {
    const x = rev('x1', [r0], { progress: 40, problems: '用地受限' }, A, 5);
    const y = rev('y1', [r0], { progress: 60 }, B, 6);
    // Supervisor 1 has x, imports y; supervisor 2 has y, imports x. Both settle progress at 60.
    const s1 = local(x, [r0, x]);
    const s2 = local(y, [r0, y]);
    const w1 = resolve(s1, bundle(y, [r0, y]), { [KEY]: { progress: { take: 'theirs' } } }, { name: '督办一', unitCode: 'SJBM' });
    const w2 = resolve(s2, bundle(x, [r0, x]), { [KEY]: { progress: { take: 'mine' } } }, { name: '督办二', unitCode: 'SJBM' });
    const m1 = w1.revisions.find((r) => r.kind === 'merge')!;
    const m2 = w2.revisions.find((r) => r.kind === 'merge')!;
    expect(m1.id).toBe(m2.id);
    expect(m1.fields).toEqual(m2.fields);
    expect(m1.at).toBe(m2.at);
    const after1 = applyToState(s1, w1);
    const after2 = applyToState(s2, w2);
    // Re-importing each other's result is "unchanged".
    const b2 = bundle(m2, [r0, x, y, m2]);
    const b1 = bundle(m1, [r0, x, y, m1]);
    expect(planImport(after1, b2).keys[0]!.outcome).toBe('unchanged');
    expect(planImport(after2, b1).keys[0]!.outcome).toBe('unchanged');
    expect(isEmptyWriteSet(resolve(after1, b2))).toBe(true);
    // A different resolution is a different merge.
    const w3 = resolve(s1, bundle(y, [r0, y]), { [KEY]: { progress: { take: 'mine' } } });
    expect(w3.revisions.find((r) => r.kind === 'merge')!.id).not.toBe(m1.id);
  });

  it('histories without a common ancestor merge against the empty form', () => {
    const mine = rev('a0', [], { status: 'on_track', progress: 30 }, A, 2);
    const theirs = rev('b0', [], { status: 'on_track', progress: 30, nextSteps: '下一步计划' }, B, 3);
    const plan = planImport(local(mine, [mine]), bundle(theirs, [theirs]));
    const k = plan.keys[0]!;
    expect(k.baseId).toBeNull();
    expect(k.outcome).toBe('merged');
    expect(k.merged!.nextSteps).toBe('下一步计划');
    const clash = rev('c0', [], { status: 'done', progress: 100 }, B, 3);
    expect(planImport(local(mine, [mine]), bundle(clash, [clash])).keys[0]!.conflicts.map((c) => c.field).sort()).toEqual(['progress', 'status']);
  });

  it('with several nearest common ancestors (criss-cross), the latest by time is the base', () => {
    const a1 = rev('a1', [r0], { progress: 30 }, A, 3);
    const b1 = rev('b1', [r0], { problems: '资金不足' }, B, 4);
    const ma = { ...rev('ma', [a1, b1], { problems: '资金不足' }, A, 5), kind: 'merge' as const };
    const mb = { ...rev('mb', [b1, a1], { progress: 30, results: '引进项目4个' }, B, 6), kind: 'merge' as const };
    const a2 = rev('a2', [ma], { nextSteps: '甲方计划' }, A, 7);
    const b2 = rev('b2', [mb], { isBestPractice: true }, B, 8);
    const plan = planImport(local(a2, [r0, a1, b1, ma, a2]), bundle(b2, [r0, a1, b1, mb, b2]));
    const k = plan.keys[0]!;
    expect(k.baseId).toBe('b1'); // a1 and b1 are both nearest; b1 is the later
    expect(k.outcome).toBe('merged');
  });

  it('log entries and evidence: union by id, the newer wins, tombstones are respected', () => {
    const log = (id: string, day: number, deleted = false, body = '召开推进会'): LogEntry => ({
      id,
      taskId: TASK,
      unitCode: UNIT,
      date: '2024-03-01',
      body: docFromText(body),
      author: A,
      createdAt: at(1),
      updatedAt: at(day),
      deleted,
    });
    const state = local(r0, [r0]);
    for (const e of [log('keep-local', 10), log('take-newer', 10), log('deleted-here', 20, true), log('same', 10)]) state.logEntries.set(e.id, e);
    const ev: Evidence = {
      id: 'ev1',
      taskId: TASK,
      unitCode: UNIT,
      title: '实施方案',
      kind: 'policy',
      docNumber: '玄政办发〔2024〕3号',
      date: '2024-02-01',
      attachmentHash: null,
      fileName: null,
      mime: null,
      size: null,
      author: A,
      createdAt: at(1),
      updatedAt: at(3),
      deleted: false,
    };
    state.evidence.set(ev.id, ev);
    const theirs = [
      log('keep-local', 5, false, '旧版本'),
      log('take-newer', 15, false, '新版本'),
      log('deleted-here', 12, false, '对方仍保留'),
      log('same', 10),
      log('brand-new', 8),
      log('deleted-there', 30, true),
    ];
    const evTheirs = { ...ev, deleted: true, updatedAt: at(9), author: B };
    const b = bundle(r0, [r0], B, { logEntries: theirs, evidence: [evTheirs] });
    const plan = planImport(state, b);
    expect(plan.logEntries.map((e) => e.id).sort()).toEqual(['brand-new', 'deleted-there', 'take-newer']);
    expect(plan.counts.logEntries).toEqual({ added: 2, updated: 1, unchanged: 3 });
    expect(plan.evidence).toEqual([evTheirs]);
    const after = applyToState(state, resolve(state, b));
    expect(after.logEntries.get('take-newer')!.body).toEqual(docFromText('新版本'));
    expect(after.logEntries.get('keep-local')!.updatedAt).toBe(at(10));
    expect(after.logEntries.get('deleted-here')!.deleted).toBe(true); // not revived by an older copy
    expect(after.evidence.get('ev1')!.deleted).toBe(true); // a newer deletion wins
    // Same time, different content: both supervisors keep the same row (the tombstone first).
    const tie = planImport(local(r0, [r0], { logEntries: new Map([['t', log('t', 10, false)]]) }), bundle(r0, [r0], B, { logEntries: [log('t', 10, true)] }));
    expect(tie.logEntries.map((e) => e.deleted)).toEqual([true]);
    const tie2 = planImport(local(r0, [r0], { logEntries: new Map([['t', log('t', 10, true)]]) }), bundle(r0, [r0], B, { logEntries: [log('t', 10, false)] }));
    expect(tie2.logEntries).toEqual([]);
    // Importing again writes nothing.
    expect(isEmptyWriteSet(resolve(after, b))).toBe(true);
  });

  it('demo data: the reviewer’s branches auto-merge or conflict; counts per unit; the second import changes nothing', () => {
    const opts = { units: 2, seed: 5, corpus: corpus(), revisionsPerAnnotation: 5 };
    const district = readBundle(writeBundle(makeDemoData(opts)), ctx());
    const reviewer = readBundle(writeBundle(makeDemoData({ ...opts, variant: 'reviewer' })), ctx());
    if (!district.ok || !reviewer.ok) throw new Error('demo bundles must verify');
    let state = applyToState(emptyState(), resolve(emptyState(), district.value));
    const plan = planImport(state, reviewer.value);
    const t = plan.counts.total;
    expect(t.new).toBe(0);
    expect(t.conflicts).toBeGreaterThan(0);
    expect(t.updated).toBeGreaterThan(0);
    expect(t.unchanged).toBeGreaterThan(150);
    expect(t.new + t.updated + t.unchanged + t.conflicts).toBe(208);
    for (const u of ['320102', '320104']) expect(plan.counts.byUnit[u]!.conflicts + plan.counts.byUnit[u]!.updated).toBeGreaterThan(0);
    for (const k of plan.keys.filter((k) => k.outcome === 'conflict')) {
      for (const c of k.conflicts) {
        expect(c.theirsBy.unitCode).toBe('SJBM');
        expect(c.mineBy.unitCode).toBe(k.unitCode);
      }
    }
    expect(plan.logEntries.length).toBe(t.conflicts + t.updated); // one 督办 note per reviewed annotation
    const ws = resolveConflicts(plan, {}, C, NOW, { default: 'theirs' });
    if (!ws.ok) throw new Error(ws.error.message);
    state = applyToState(state, ws.value);
    expect(isEmptyWriteSet(resolve(state, reviewer.value))).toBe(true);
    expect(isEmptyWriteSet(resolve(state, district.value))).toBe(true);
  });
});
