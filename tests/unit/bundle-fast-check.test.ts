/**
 * Reading a bundle checks revisions, annotations and log entries first with hand-written checks
 * (FAST_CHECKS, issue 8) that answer only "surely valid"; anything else goes through the strict
 * zod schema, which decides and words the refusal. So a fast check must never accept what the
 * schema refuses: here valid records are mutated at every field, nested rich text included, and
 * whatever a fast check accepts must pass the schema too.
 */
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src-main/shared/bundle/read';
import { FAST_CHECKS, RECORD_SCHEMAS } from '../../src-main/shared/bundle/schema';
import type { RecordKind } from '../../src-main/shared/bundle/format';
import { ctx, demoBundle, expectRefused, tamper, editJson, type Json } from './bundle-fixtures';

const VALUES: unknown[] = [
  null, true, false, 0, -0, 1, -1, 1.5, 100, 101, 1e21,
  '', ' ', 'a', 'x'.repeat(101), 'x'.repeat(201), 'x'.repeat(20_001), '\u0001', 'a\u007fb', '\t', '\n',
  'T1-01', 'T0-01', '320102', 'on_track', 'edit', 'merge', 'restore', 'status', 'doc', 'text', 'link',
  '2024-02-30', '2024-02-29', '2024-06-30', '2024-06-30T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '2024-06-30T00:00:00Z', '2024-06-30T24:00:00.000Z',
  'javascript:alert(1)', 'https://www.nanjing.gov.cn/', [], [''], [' '], ['x'], ['a', 'a'], {}, { type: 'doc', content: [] }, { type: 'text', text: 'x' },
];

/** Copies of `value` with one thing changed: every value replaced (or removed), every object given an extra key. */
function* mutants(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const m of mutants(value[i])) yield value.map((x, j) => (j === i ? m : x));
      yield value.filter((_x, j) => j !== i);
    }
    yield [...value, ...value.slice(0, 1)];
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      for (const m of mutants(o[k])) yield { ...o, [k]: m };
      const { [k]: _gone, ...rest } = o;
      yield rest;
    }
    yield { ...o, extra: 1 };
  }
  yield* VALUES;
  if (typeof value === 'string') yield* [value + '\u0000', ` ${value}`, value.slice(1), value.toUpperCase()];
}

const records = (() => {
  const r = readBundle(demoBundle({ units: 2, seed: 31 }), ctx());
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
})();

describe('fast record checks', { timeout: 120_000 }, () => {
  it('accept every record of a good bundle (so reading one skips zod)', () => {
    for (const kind of ['revisions', 'annotations', 'logEntries'] as const) {
      expect(records[kind].length).toBeGreaterThan(0);
      for (const r of records[kind]) expect(FAST_CHECKS[kind]!(r), `${kind} ${JSON.stringify(r).slice(0, 80)}`).toBe(true);
    }
  });

  it('never accept a record the schema refuses, whatever field is changed', () => {
    const sample = {
      revisions: [
        ...records.revisions.filter((r) => r.kind === 'merge').slice(0, 3),
        ...records.revisions.filter((r) => r.kind === 'restore').slice(0, 3),
        ...records.revisions.filter((r) => r.fields.progressNotes.content?.length).slice(0, 6),
        ...records.revisions.filter((r) => r.fields.caseStudy).slice(0, 3),
        ...records.revisions.slice(0, 4),
      ],
      annotations: records.annotations.slice(0, 6),
      logEntries: records.logEntries.slice(0, 6),
    } satisfies Partial<Record<RecordKind, unknown[]>>;
    expect(sample.revisions.some((r) => r.kind === 'merge')).toBe(true);
    let tried = 0;
    let refused = 0;
    for (const [kind, list] of Object.entries(sample) as [keyof typeof sample, unknown[]][]) {
      const fast = FAST_CHECKS[kind]!;
      for (const record of list) {
        for (const m of mutants(record)) {
          tried++;
          const zod = RECORD_SCHEMAS[kind].safeParse(m).success;
          if (!zod) refused++;
          if (fast(m) && !zod) expect.fail(`${kind}: fast check accepts what zod refuses: ${JSON.stringify(m).slice(0, 300)}`);
        }
      }
    }
    // The mutations are meaningful: most are refused (by zod, and so by the fast check too).
    expect(tried).toBeGreaterThan(10_000);
    expect(refused / tried).toBeGreaterThan(0.5);
  });

  it('leave the refusal and its wording to the schema', () => {
    const good = () => demoBundle({ units: 1, seed: 33 });
    const unsafeLink = tamper(good(), {
      mutate: (f) =>
        editJson(f, 'revisions.json', (rs: Json[]) => {
          rs[0].fields.progressNotes = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '点此', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
        }),
      rehash: true,
    });
    const r = readBundle(unsafeLink, ctx());
    expectRefused(r, 'bundle.unsafe_link');
    if (!r.ok) expect(r.error.message).toContain('revisions.json 第 1 条记录');
    const badDate = tamper(good(), { mutate: (f) => editJson(f, 'log-entries.json', (rs: Json[]) => (rs[0].createdAt = '2023-02-29T00:00:00.000Z')), rehash: true });
    const d = readBundle(badDate, ctx());
    expectRefused(d, 'bundle.invalid_record');
    if (!d.ok) expect(d.error.message).toContain('createdAt');
  });
});
