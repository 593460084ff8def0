/**
 * 本月已核实 as a record: a `check` revision (bundle format 3) travels in bundles, is checked as
 * strictly by the fast path as by the schema (it may change no field and has at most one parent),
 * fast-forwards on import like any edit, and an app that knows only format 2 asks to upgrade. And
 * what typing in the grid's cells means (status choices, progress, deadline).
 */
import { describe, expect, it } from 'vitest';
import { makeDemoData, type DemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { FORMAT_VERSION, migrateRaw } from '../../src-main/shared/bundle/format';
import { FAST_CHECKS } from '../../src-main/shared/bundle/schema';
import { revisionSchema } from '../../src-main/shared/records';
import { createCombiner } from '../../src-main/cli/bundleStore';
import type { Revision } from '../../src-main/shared/domain';
import { parseProgress, patchOf, statusChoices } from '../../src-renderer/src/features/monthly/gridModel';
import { DISTRICT, corpus, ctx, editJson, tamper } from './bundle-fixtures';

const AT = '2026-12-02T03:00:00.000Z';

/** `data` with a 本月已核实 on annotation `key`: a check revision on its head, the head moved to it. */
function withCheck(data: DemoData, key: string, id: string): { data: DemoData; check: Revision } {
  const a = data.annotations.find((x) => x.key === key)!;
  const { key: _k, taskId, unitCode, head, updatedAt: _u, updatedBy: _b, ...fields } = a;
  const check: Revision = { id, key, taskId, unitCode, parents: [head], author: DISTRICT, at: AT, kind: 'check', changed: [], fields };
  return {
    check,
    data: {
      ...data,
      revisions: [...data.revisions, check],
      annotations: data.annotations.map((x) => (x.key === key ? { ...x, head: id, updatedAt: AT, updatedBy: DISTRICT } : x)),
    },
  };
}

const base = () => makeDemoData({ units: 1, seed: 4, corpus: corpus() });
const firstKey = (d: DemoData) => d.annotations.find((a) => a.unitCode === DISTRICT.unitCode)?.key ?? d.annotations[0]!.key;

describe('check revisions in bundles', () => {
  it('are written in the current format (3 or later) and read back', () => {
    const d = base();
    const { data, check } = withCheck(d, firstKey(d), 'check-1');
    const r = readBundle(writeBundle(data), ctx());
    if (!r.ok) throw new Error(r.error.message);
    expect(FORMAT_VERSION).toBeGreaterThanOrEqual(3);
    expect(r.value.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(r.value.revisions.find((x) => x.id === 'check-1')).toEqual(check);
  });

  it.each([
    ['changes a field', (c: Revision) => ({ ...c, changed: ['status'] })],
    ['has two parents', (c: Revision) => ({ ...c, parents: [c.parents[0]!, 'other-parent'] })],
  ])('one that %s is refused by the schema and by the fast check alike, and the bundle with it', (_name, spoil) => {
    const d = base();
    const { data, check } = withCheck(d, firstKey(d), 'check-1');
    const bad = spoil(check);
    expect(revisionSchema.safeParse(bad).success).toBe(false);
    const fast = FAST_CHECKS.revisions!;
    expect(fast(bad)).toBe(false);
    expect(fast(check)).toBe(true);
    expect(revisionSchema.safeParse(check).success).toBe(true);
    const bytes = tamper(writeBundle(data), {
      mutate: (f) => editJson(f, 'revisions.json', (list) => list.splice(list.findIndex((x) => x.id === 'check-1'), 1, bad)),
      rehash: true,
    });
    const r = readBundle(bytes, ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a check made on top of what the other side has fast-forwards on import, no conflict', async () => {
    const d = base();
    const key = firstKey(d);
    const { data } = withCheck(d, key, 'check-1');
    const combiner = createCombiner({ prefer: 'mine', author: DISTRICT, now: new Date(AT), mergesDated: 'merge' });
    const first = await combiner.add('a', readOk(writeBundle(d)));
    expect(first.ok).toBe(true);
    const second = await combiner.add('b', readOk(writeBundle(data)));
    if (!second.ok) throw new Error(second.error.message);
    expect(combiner.conflicts).toEqual([]);
    expect((await combiner.store.annotations.get(key))?.head).toBe('check-1');
  });

  it('an app that reads only format 2 refuses a format 3 bundle with "please upgrade"', () => {
    const r = migrateRaw({ manifest: {}, records: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } }, 3, [], 2);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('请升级本软件');
  });
});

function readOk(bytes: Uint8Array) {
  const r = readBundle(bytes, ctx());
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('typing in the grid', () => {
  it('a status cell offers the statuses that match a number, a label, pinyin initials or the English word', () => {
    expect(statusChoices('')).toHaveLength(6);
    expect(statusChoices('1')).toEqual(['not_started']);
    expect(statusChoices('3')).toEqual(['delayed']);
    expect(statusChoices('6')).toEqual(['not_applicable']);
    expect(statusChoices('7')).toEqual([]);
    expect(statusChoices('完成')).toEqual(['mostly_done', 'done']);
    expect(statusChoices('滞后')).toEqual(['delayed']);
    expect(statusChoices('wqd')).toEqual(['not_started']);
    expect(statusChoices('J')).toEqual(['delayed', 'mostly_done']);
    expect(statusChoices('ywc')).toEqual(['done']);
    expect(statusChoices('track', (s) => ({ on_track: 'On track' })[s as 'on_track'] ?? s)).toEqual(['on_track']);
    expect(statusChoices('xyz')).toEqual([]);
  });

  it('progress and deadline text become field values; anything else is left for the rules to refuse', () => {
    expect(parseProgress('40')).toBe(40);
    expect(parseProgress(' 75% ')).toBe(75);
    expect(parseProgress('2.5')).toBe(2.5);
    expect(parseProgress('一半')).toBeNaN();
    expect(parseProgress('')).toBeNaN();
    expect(patchOf({ column: 'deadline', text: '' }).deadline).toBeNull();
    expect(patchOf({ column: 'deadline', text: '2026/6/30' }).deadline).toBe('2026-06-30');
    expect(patchOf({ column: 'deadline', text: '2026年6月30日' }).deadline).toBe('2026-06-30');
    expect(patchOf({ column: 'deadline', text: '2026-06-30' }).deadline).toBe('2026-06-30');
    expect(patchOf({ column: 'deadline', text: '年底前' }).deadline).toBe('年底前');
    // The grid reads dates as the 完成时限 field does (one parser): full-width digits, and a day that does not exist stays as typed for the rules.
    expect(patchOf({ column: 'deadline', text: '２０２６／６／３０' }).deadline).toBe('2026-06-30');
    expect(patchOf({ column: 'deadline', text: '2026/2/30' }).deadline).toBe('2026/2/30');
  });
});
