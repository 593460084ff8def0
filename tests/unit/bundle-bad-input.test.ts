/**
 * Bundles are untrusted: whatever arrives on a USB stick, reading it either yields every record
 * checked or refuses it with one clear Chinese message and a stable code — and then returns no
 * content at all, so nothing can be written. Memory stays bounded for bombs.
 */
import { describe, expect, it } from 'vitest';
import { inflateSync, zipSync } from 'fflate';
import { readBundle } from '../../src-main/shared/bundle/read';
import { jsonDepth } from '../../src-main/shared/bundle/schema';
import { FORMAT_VERSION } from '../../src-main/shared/bundle/format';
import { BUNDLE_CAPS } from '../../src-main/shared/bundle/zip';
import {
  concat,
  crc32,
  ctx,
  deflateRepeat,
  demoBundle,
  editJson,
  editText,
  expectRefused,
  rawZip,
  type Json,
  tamper,
  text,
  utf8,
} from './bundle-fixtures';
import { snapshotBundle } from './snapshot-fixtures';

const MB = 1024 * 1024;
const good = () => demoBundle({ units: 1, seed: 3 });
const read = (b: Uint8Array) => readBundle(b, ctx());

/** Resident memory grows by less than `mb` while `f` runs. */
function boundedMemory<T>(mb: number, f: () => T): T {
  const before = process.memoryUsage().rss;
  const out = f();
  const grew = (process.memoryUsage().rss - before) / MB;
  expect(grew, `rss grew by ${grew.toFixed(0)} MB`).toBeLessThan(mb);
  return out;
}

describe('bundle bad input', { timeout: 20_000 }, () => {
  it('accepts the untouched bundle (the baseline of every case below)', () => {
    expect(read(good()).ok).toBe(true);
  });

  it('refuses a file that is not a zip: text, an image, an empty file', () => {
    expectRefused(read(utf8.encode('这不是批注包，只是一段文字。'.repeat(20))), 'bundle.not_zip');
    expectRefused(read(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100).fill(0)])), 'bundle.not_zip');
    expectRefused(read(new Uint8Array(0)), 'bundle.not_zip');
    const r = read(utf8.encode('hello'));
    if (!r.ok) expect(r.error.message).toContain('文件不是有效的批注包（不是 ZIP 格式）');
  });

  it('refuses a ZIP64 file (65,535 entries marked) naming ZIP64, not as a file "too large (0 MB)"', () => {
    const z = rawZip([{ name: 'manifest.json', method: 0, data: utf8.encode('{}'), size: 2, crc: crc32(utf8.encode('{}')) }]);
    const end = new DataView(z.buffer, z.byteOffset + z.length - 22, 22);
    end.setUint16(8, 0xffff, true);
    end.setUint16(10, 0xffff, true);
    const r = read(z);
    expectRefused(r, 'bundle.zip64');
    if (!r.ok) {
      expect(r.error.message).toContain('ZIP64');
      expect(r.error.message).not.toContain('0 MB');
    }
  });

  it('refuses a truncated zip, cut at 50 % and at 99 %', () => {
    const b = good();
    for (const cut of [0.5, 0.99]) {
      const r = read(b.slice(0, Math.floor(b.length * cut)));
      expectRefused(r, 'bundle.truncated');
      if (!r.ok) expect(r.error.message).toContain('批注包已损坏或不完整');
    }
    // Cut by a single byte: the end record no longer fits.
    expectRefused(read(b.slice(0, b.length - 1)), ['bundle.truncated', 'bundle.corrupt']);
  });

  it('refuses a bundle with a flipped byte inside an entry (damage is detected, never imported)', () => {
    const b = good();
    // Flip bytes at many places across the entries' data: each is caught by inflate, CRC-32 or sha-256.
    for (const at of [0.1, 0.3, 0.5, 0.7, 0.85]) {
      const bad = b.slice();
      const i = Math.floor(b.length * at);
      bad[i] = bad[i]! ^ 0x5a;
      expectRefused(read(bad), ['bundle.corrupt', 'bundle.hash_mismatch', 'bundle.bad_name', 'bundle.truncated', 'bundle.not_zip']);
    }
  });

  it('refuses a bundle without manifest', () => {
    const b = tamper(good(), { mutate: (f) => delete f['manifest.json'] });
    const r = read(b);
    expectRefused(r, 'bundle.manifest_missing');
  });

  it('refuses an entry changed after export (hash mismatch, manifest not updated)', () => {
    const b = tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (list) => (list[0].results = '已篡改的量化成效')) });
    const r = read(b);
    expectRefused(r, 'bundle.hash_mismatch');
    if (!r.ok) expect(r.error.message).toContain('annotations.json');
  });

  it('refuses entries added to or missing from the manifest', () => {
    const extra = tamper(good(), { mutate: (f) => (f['evidence.2.json'] = utf8.encode('[]')) });
    expectRefused(read(extra), 'bundle.unlisted_entry');
    const missing = tamper(good(), { mutate: (f) => delete f['log-entries.json'] });
    expectRefused(read(missing), 'bundle.entry_missing');
  });

  it('refuses a bundle of another corpus version', () => {
    const b = tamper(good(), { manifest: (m) => (m.corpusHash = 'f'.repeat(64)) });
    const r = read(b);
    expectRefused(r, 'bundle.corpus_mismatch');
    if (!r.ok) expect(r.error.message).toContain('批注包对应的试点方案版本与本软件不一致');
  });

  it('refuses unknown task ids (well-formed but not in the corpus)', () => {
    const b = tamper(good(), { mutate: (f) => editJson(f, 'log-entries.json', (list) => (list[0].taskId = 'T1-99')), rehash: true });
    const r = read(b);
    expectRefused(r, 'bundle.unknown_task');
    if (!r.ok) expect(r.error.message).toContain('T1-99');
  });

  it('refuses duplicate ids and duplicate annotation keys', () => {
    const dupLog = tamper(good(), { mutate: (f) => editJson(f, 'log-entries.json', (list) => list.push({ ...list[1], date: list[1].date })), rehash: true });
    expectRefused(read(dupLog), 'bundle.duplicate_id');
    const dupRev = tamper(good(), { mutate: (f) => editJson(f, 'revisions.json', (list) => list.push(list[0])), rehash: true });
    expectRefused(read(dupRev), 'bundle.duplicate_id');
    const dupAnn = tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (list) => list.push(list[0])), rehash: true });
    expectRefused(read(dupAnn), 'bundle.duplicate_id');
  });

  it('refuses a record with wrong types, naming file, record and field', () => {
    const b = tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (list) => (list[7].progress = '50')), rehash: true });
    const r = read(b);
    expectRefused(r, 'bundle.invalid_record');
    if (!r.ok) {
      expect(r.error.message).toContain('annotations.json 第 8 条记录');
      expect(r.error.message).toContain('progress');
      expect(r.error.detail).toContain('annotations.json[7] progress');
    }
    // Unknown keys, over-long text, bad dates and enums are all refused too.
    const cases: ((list: Json[]) => void)[] = [
      (l) => (l[0].extra = 1),
      (l) => (l[0].results = '长'.repeat(20_001)),
      (l) => (l[0].deadline = '2024-02-30'),
      (l) => (l[0].status = 'finished'),
      (l) => (l[0].updatedAt = '2024-01-01 08:00'),
      (l) => (l[0].progress = 101),
      (l) => (l[0].leadUnits = ['x'.repeat(101)]),
      (l) => (l[0].unitCode = 'not a code'),
    ];
    for (const edit of cases) {
      expectRefused(read(tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', edit), rehash: true })), 'bundle.invalid_record');
    }
  });

  it('refuses __proto__, constructor and prototype keys anywhere, without polluting prototypes', () => {
    const inject = (name: string, edit: (t: string) => string) => read(tamper(good(), { mutate: (f) => editText(f, name, edit), rehash: true }));
    expectRefused(
      inject('evidence.json', (t) => t.replace('{"id":', '{"__proto__":{"polluted":true},"id":')),
      'bundle.unsafe_key',
    );
    expectRefused(
      inject('revisions.json', (t) => t.replace('"type":"paragraph"', '"type":"paragraph","attrs":{"constructor":"x"}')),
      'bundle.unsafe_key',
    );
    // Spelled with a unicode escape, which JSON.parse decodes.
    expectRefused(
      inject('log-entries.json', (t) => t.replace('{"id":', '{"\\u005f_proto__":{"polluted":true},"id":')),
      'bundle.unsafe_key',
    );
    expectRefused(read(tamper(good(), { manifest: (m) => (m.prototype = {}) })), 'bundle.unsafe_key');
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('refuses javascript: links in notes and log entries', () => {
    // A link mark on the first text node that has no marks yet (`"text":"…"}`).
    const withLink = (href: string) => (t: string) => {
      const out = t.replace(/"text":"([^"]+)"\}/, `"text":"$1","marks":[{"type":"link","attrs":{"href":${JSON.stringify(href)}}}]}`);
      expect(out).not.toBe(t);
      return out;
    };
    const link = withLink('javascript:alert(1)');
    for (const name of ['annotations.json', 'revisions.json', 'log-entries.json']) {
      const r = read(tamper(good(), { mutate: (f) => editText(f, name, link), rehash: true }));
      expectRefused(r, 'bundle.unsafe_link');
      if (!r.ok) expect(r.error.message).toContain('链接');
    }
    // data: and file: are refused as well; https is fine (the record is then simply valid).
    for (const href of ['data:text/html,<script>', 'file:///etc/passwd', 'JavaScript:alert(1)']) {
      const r = read(tamper(good(), { mutate: (f) => editText(f, 'annotations.json', withLink(href)), rehash: true }));
      expectRefused(r, 'bundle.unsafe_link');
    }
    // The same edit with a safe link passes the schema (and is then caught as not matching its head revision).
    const safe = read(tamper(good(), { mutate: (f) => editText(f, 'annotations.json', withLink('https://www.nanjing.gov.cn/')), rehash: true }));
    expectRefused(safe, 'bundle.broken_reference');
  });

  it('refuses a bundle of a newer format version, asking to upgrade', () => {
    const r = read(tamper(good(), { manifest: (m) => (m.formatVersion = FORMAT_VERSION + 1) }));
    expectRefused(r, 'bundle.future_version');
    if (!r.ok) expect(r.error.message).toContain('请升级本软件');
  });

  it('refuses a 200 MB string, stopped without inflating it (bounded memory)', () => {
    // annotations.json = [{"key":"aaaa…(200 MB)…"}] — compresses to ~200 KB.
    const deflated = deflateRepeat(utf8.encode('[{"key":"'), new Uint8Array(MB).fill(0x61), 200, utf8.encode('"}]'));
    expect(deflated.length).toBeLessThan(400_000);
    const honest = rawZip([{ name: 'annotations.json', method: 8, data: deflated, size: 200 * MB + 12, crc: 0 }]);
    // The same, with a header that lies about the size (so only the streaming caps can stop it).
    const lying = rawZip([{ name: 'annotations.json', method: 8, data: deflated, size: 60 * MB, crc: 0 }]);
    for (const b of [honest, lying]) {
      const r = boundedMemory(150, () => read(b));
      expectRefused(r, ['bundle.zip_bomb', 'bundle.too_large']);
    }
  });

  it('stops a ≈1000:1 zip bomb (1 GB of zeros in ~1 MB) before inflating it, with bounded memory', () => {
    const deflated = deflateRepeat(new Uint8Array(0), new Uint8Array(MB), 1024, new Uint8Array(0));
    const ratio = (1024 * MB) / deflated.length;
    expect(ratio).toBeGreaterThan(900);
    const cases = [
      // Honest header: refused from the directory alone.
      rawZip([{ name: 'revisions.json', method: 8, data: deflated, size: 1024 * MB, crc: 0 }]),
      // Header claims 60 MB (under the 64 MB cap, ratio 60:1): stopped by the streaming ratio cap.
      rawZip([{ name: 'revisions.json', method: 8, data: deflated, size: 60 * MB, crc: 0 }]),
      // Header claims 1 KB: stopped on the first slice of output (far beyond 200:1).
      rawZip([{ name: 'attachments/' + 'a'.repeat(64), method: 8, data: deflated, size: 1024, crc: 0 }]),
    ];
    for (const b of cases) {
      const r = boundedMemory(150, () => read(b));
      expectRefused(r, 'bundle.zip_bomb');
      if (!r.ok) expect(r.error.message).toContain('疑似压缩炸弹');
    }
  });

  it('builds its bombs correctly (a small one inflates to exactly what it claims)', () => {
    const unit = new Uint8Array(64 * 1024).fill(0x61);
    const small = deflateRepeat(utf8.encode('[{"key":"'), unit, 8, utf8.encode('"}]'));
    const out = inflateSync(small);
    expect(out.length).toBe(9 + 8 * unit.length + 3);
    expect(text(out.subarray(0, 9))).toBe('[{"key":"');
    expect(text(out.subarray(out.length - 3))).toBe('"}]');
    expect(out.subarray(9, out.length - 3).every((c) => c === 0x61)).toBe(true);
  });

  it('refuses 10,000 entries at once, from the directory alone', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10_000; i++) files[`attachments/${i.toString(16).padStart(64, '0')}`] = new Uint8Array([i & 255]);
    const b = zipSync(files, { level: 0 });
    const r = read(b);
    expectRefused(r, 'bundle.too_many_entries');
    expect(BUNDLE_CAPS.maxEntries).toBeLessThan(10_000);
  });

  it('refuses unsafe and unknown entry names: ../, absolute, backslash, drive letter, others', () => {
    const entry = (name: string) => ({ name, method: 0 as const, data: utf8.encode('[]'), size: 2, crc: crc32(utf8.encode('[]')) });
    for (const name of ['../evil.json', 'attachments/../../evil', '/etc/passwd', 'attachments\\x', 'C:/x.json', 'a/./b', 'notes.txt', 'attachments/abc', 'manifest.json/']) {
      const r = read(rawZip([entry(name)]));
      expectRefused(r, 'bundle.bad_name');
    }
    const r = read(rawZip([entry('../evil.json')]));
    if (!r.ok) expect(r.error.message).toContain('不安全的文件路径');
    // The good bundle with a `../` entry added by a forger.
    expectRefused(read(tamper(good(), { mutate: (f) => (f['../units.json'] = utf8.encode('[]')), rehash: false })), 'bundle.bad_name');
  });

  it('refuses duplicate entry names and overlapping entries', () => {
    const data = utf8.encode('[]');
    const e = { name: 'units.json', method: 0 as const, data, size: 2, crc: crc32(data) };
    expectRefused(read(rawZip([e, e])), 'bundle.duplicate_entry');
    // An entry hidden inside another entry's data (the "overlapping files" zip bomb).
    const inner = rawZip([{ name: 'evidence.json', method: 0, data, size: 2, crc: crc32(data) }]);
    const innerLocal = inner.subarray(0, 30 + 'evidence.json'.length + 2);
    const overlapped = rawZip([
      { name: 'units.json', method: 0, data: innerLocal, size: innerLocal.length, crc: crc32(innerLocal) },
      { name: 'evidence.json', method: 0, data, size: 2, crc: crc32(data), at: 30 + 'units.json'.length },
    ]);
    expectRefused(read(overlapped), 'bundle.zip_bomb');
  });

  it('refuses a manifest that is not ours or not valid', () => {
    expectRefused(read(tamper(good(), { manifest: (m) => (m.format = 'something-else') })), 'bundle.not_bundle');
    expectRefused(read(tamper(good(), { manifest: (m) => delete m.author })), 'bundle.invalid_manifest');
    expectRefused(read(tamper(good(), { manifest: (m) => (m.counts.annotations = 1) })), 'bundle.broken_reference');
    expectRefused(read(tamper(good(), { mutate: (f) => (f['manifest.json'] = utf8.encode('{not json')) })), 'bundle.invalid_json');
  });

  it('refuses JSON nested 100,000 deep (in the manifest or a data file) with a message, not a stack overflow', () => {
    const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    const manifest = tamper(good(), { mutate: (f) => (f['manifest.json'] = utf8.encode(`{"format":${deepObject}}`)) });
    expectRefused(read(manifest), 'bundle.too_deep');
    const data = tamper(good(), { mutate: (f) => (f['annotations.json'] = utf8.encode(deepArray)), rehash: true });
    expectRefused(read(data), 'bundle.too_deep');
    // Brackets inside strings are text, not nesting: a note full of 「[[[[」 still reads.
    expect(jsonDepth(JSON.stringify({ note: '['.repeat(1000) + '{'.repeat(1000) }))).toBe(1);
    expect(jsonDepth('[[1],[[2]]]')).toBe(3);
    expect(jsonDepth(String.raw`["a\"[["]`)).toBe(1); // an escaped quote does not end the string
    expect(jsonDepth(String.raw`["\\",[[]]]`)).toBe(3); // an escaped backslash does not escape the quote
  });

  it('refuses broken references: a head that is missing, a parent that is missing, a missing file', () => {
    const noHead = tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (l) => (l[0].head = 'no-such-revision')), rehash: true });
    expectRefused(read(noHead), 'bundle.broken_reference');
    const noParent = tamper(good(), {
      mutate: (f) => editJson(f, 'revisions.json', (l) => l.splice(l.findIndex((r: Json) => r.parents.length === 0), 1)),
      manifest: (m) => (m.counts.revisions -= 1),
      rehash: true,
    });
    expectRefused(read(noParent), 'bundle.broken_reference');
    const noFile = tamper(good(), {
      mutate: (f) => {
        const name = Object.keys(f).find((n) => n.startsWith('attachments/'))!;
        delete f[name];
      },
      manifest: (m) => (m.counts.attachments -= 1),
      rehash: true,
    });
    expectRefused(read(noFile), 'bundle.broken_reference');
    const headFields = tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (l) => (l[0].nextSteps = '与当前修订不一致')), rehash: true });
    expectRefused(read(headFields), 'bundle.broken_reference');
  });

  it('refuses an attachment whose bytes do not match its name (even with a consistent manifest)', () => {
    const b = tamper(good(), {
      mutate: (f) => {
        const name = Object.keys(f).find((n) => n.startsWith('attachments/'))!;
        f[name] = concat([f[name]!, new Uint8Array([1])]);
      },
      rehash: true,
    });
    expectRefused(read(b), 'bundle.hash_mismatch');
  });
});

describe('bundle bad input: periods and snapshots (format version 2)', { timeout: 20_000 }, () => {
  const goodV2 = () => snapshotBundle().bytes;

  it('refuses a snapshot edited after freezing, even with the manifest re-hashed (its own hash no longer matches)', () => {
    expect(read(goodV2()).ok).toBe(true);
    const forged = tamper(goodV2(), { mutate: (f) => editJson(f, 'snapshots.json', (list) => (list[0].entries[0].status = 'done')), rehash: true });
    const r = read(forged);
    expectRefused(r, 'bundle.snapshot_tampered');
    if (!r.ok) expect(r.error.message).toContain('快照可能被改动过');
  });

  it('refuses a snapshot whose period is missing, and a v2 bundle without snapshots.json', () => {
    expectRefused(read(tamper(goodV2(), { mutate: (f) => editJson(f, 'periods.json', (list) => list.splice(0)), rehash: true })), 'bundle.broken_reference');
    expectRefused(read(tamper(goodV2(), { mutate: (f) => delete f['snapshots.json'], rehash: true })), 'bundle.entry_missing');
  });
});
