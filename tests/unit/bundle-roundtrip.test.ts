/**
 * What a person relies on when exporting: everything they export comes back exactly (records and
 * files), bundles are deterministic, scopes pick what they say, older bundles are migrated and
 * newer ones ask for an upgrade.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import {
  FORMAT_ID,
  FORMAT_VERSION,
  MIGRATIONS,
  checkMigrations,
  migrateRaw,
  parseEntryName,
  type FormatMigration,
  type Manifest,
} from '../../src-main/shared/bundle/format';
import { sha256Hex } from '../../src-main/shared/hash';
import { applyToState, emptyState, isEmptyWriteSet, planImport, resolveConflicts } from '../../src-main/shared/bundle/merge';
import { readBundle } from '../../src-main/shared/bundle/read';
import { normalList, selectForExport, writeBundle } from '../../src-main/shared/bundle/write';
import { listCentralDirectory } from '../../src-main/shared/bundle/zip';
import { STATUSES, validateFields } from '../../src-main/shared/domain';
import { plainText, validateRichDoc } from '../../src-main/shared/richtext';
import { corpus, ctx, editJson, expectRefused, tamper, text, type Json } from './bundle-fixtures';

const demo = (o: Partial<Parameters<typeof makeDemoData>[0]> = {}) => makeDemoData({ units: 2, seed: 11, corpus: corpus(), ...o });

describe('bundle round trip', { timeout: 20_000 }, () => {
  it('demo data → writeBundle → readBundle gives back every record and file exactly', () => {
    const d = demo();
    const bytes = writeBundle(d);
    const r = readBundle(bytes, ctx());
    if (!r.ok) throw new Error(r.error.message);
    const b = r.value;
    for (const kind of ['units', 'annotations', 'revisions', 'logEntries', 'evidence'] as const) {
      expect(b[kind], kind).toEqual(normalList(kind, d[kind] as never));
      expect(b[kind].length).toBe(d[kind].length);
    }
    expect([...b.attachments.keys()].sort()).toEqual([...d.attachments.keys()].sort());
    for (const [h, data] of d.attachments) expect(Buffer.compare(b.attachments.get(h)!, data)).toBe(0);
    expect(b.manifest.format).toBe(FORMAT_ID);
    expect(b.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(b.manifest.corpusHash).toBe(corpus().hash);
    expect(b.manifest.unitCodes).toEqual(['320102', '320104']);
    expect(b.manifest.counts).toEqual({
      annotations: d.annotations.length,
      revisions: d.revisions.length,
      logEntries: d.logEntries.length,
      evidence: d.evidence.length,
      attachments: d.attachments.size,
      periods: 0,
      snapshots: 0,
      rounds: 0,
      submissions: 0,
      reviews: 0,
    });
  });

  it('the manifest lists the size and sha-256 of every entry, and each attachment is stored once by hash', () => {
    const d = demo();
    const files = unzipSync(writeBundle(d));
    const m = JSON.parse(text(files['manifest.json']!)) as Manifest;
    const names = Object.keys(files).filter((n) => n !== 'manifest.json');
    expect(Object.keys(m.entries).sort()).toEqual(names.sort());
    for (const n of names) expect(m.entries[n]).toEqual({ sha256: sha256Hex(files[n]!), size: files[n]!.length });
    const att = names.filter((n) => n.startsWith('attachments/'));
    expect(att.length).toBe(d.attachments.size);
    const referencing = d.evidence.filter((e) => e.attachmentHash && !e.deleted).length;
    expect(referencing).toBeGreaterThan(att.length); // some files are shared by several pieces of evidence
    for (const n of att) expect(sha256Hex(files[n]!)).toBe(n.slice('attachments/'.length));
  });

  it('is deterministic: equal input, byte-identical bundle, whatever the key order of the records', () => {
    const a = writeBundle(demo({ units: 1 }));
    const d = demo({ units: 1 });
    // Same records with their keys in another order, in another order of the lists.
    const shuffled = {
      ...d,
      annotations: [...d.annotations].reverse().map((x) => Object.fromEntries(Object.entries(x).reverse()) as typeof x),
      revisions: [...d.revisions].reverse(),
      logEntries: [...d.logEntries].reverse(),
    };
    expect(Buffer.compare(writeBundle(shuffled), a)).toBe(0);
    expect(Buffer.compare(writeBundle(demo({ units: 1, seed: 12 })), a)).not.toBe(0);
  });

  it('stores (does not deflate) an entry that would compress beyond what readers accept, so it reads back', () => {
    const d = demo({ units: 1 });
    const ev = d.evidence.find((e) => e.attachmentHash && !e.deleted)!;
    // e.g. a blank scanned page (a BMP whose pixels are all zero): ~1000:1 under deflate
    const blank = new Uint8Array(2 * 1024 * 1024);
    const header = new DataView(blank.buffer);
    blank.set([0x42, 0x4d]);
    header.setUint32(2, blank.length, true);
    header.setUint32(14, 40, true);
    const hash = sha256Hex(blank);
    const evidence = d.evidence.map((e) => (e.id === ev.id ? { ...e, attachmentHash: hash, size: blank.length, fileName: 'blank.bmp', mime: 'image/bmp' } : e));
    const attachments = new Map(d.attachments);
    attachments.set(hash, blank);
    if (!evidence.some((e) => e.attachmentHash === ev.attachmentHash && !e.deleted)) attachments.delete(ev.attachmentHash!);
    const bytes = writeBundle({ ...d, evidence, attachments });
    const entry = (listCentralDirectory(bytes) as { ok: true; value: { name: string; method: number }[] }).value.find((e) => e.name === `attachments/${hash}`)!;
    expect(entry.method).toBe(0);
    const r = readBundle(bytes, ctx());
    if (!r.ok) throw new Error(r.error.message);
    const back = r.value.attachments.get(hash)!;
    expect(back.length).toBe(blank.length);
    expect(Buffer.compare(back, blank)).toBe(0);
  });

  it('splits large lists into parts and reads them back in order', () => {
    const d = demo({ units: 1 });
    const bytes = writeBundle(d, { partBytes: 64 * 1024 });
    const names = listCentralDirectory(bytes);
    if (!names.ok) throw new Error(names.error.message);
    const parts = names.value.map((e) => e.name).filter((n) => n.startsWith('revisions'));
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.slice(0, 3)).toEqual(['revisions.json', 'revisions.2.json', 'revisions.3.json']);
    const r = readBundle(bytes, ctx());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.revisions).toEqual(normalList('revisions', d.revisions));
    // A missing middle part is refused, not silently skipped.
    const gap = tamper(bytes, { mutate: (f) => delete f['revisions.2.json'], rehash: true });
    expectRefused(readBundle(gap, ctx()), 'bundle.entry_missing');
    // A record error names the part file and the position within it.
    const bad = tamper(bytes, { mutate: (f) => editJson(f, 'revisions.3.json', (l) => (l[2].at = 'yesterday')), rehash: true });
    const br = readBundle(bad, ctx());
    expectRefused(br, 'bundle.invalid_record');
    if (!br.ok) expect(br.error.detail).toContain('revisions.3.json[2] at');
  });

  it('entry names: only the format’s names are allowed', () => {
    expect(parseEntryName('manifest.json')).toEqual({ type: 'manifest' });
    expect(parseEntryName('revisions.12.json')).toEqual({ type: 'records', kind: 'revisions', part: 12 });
    expect(parseEntryName('log-entries.json')).toEqual({ type: 'records', kind: 'logEntries', part: 1 });
    expect(parseEntryName(`attachments/${'0'.repeat(64)}`)).toEqual({ type: 'attachment', hash: '0'.repeat(64) });
    for (const bad of ['units.2.json', 'revisions.1.json', 'revisions.01.json', 'attachments/ABC', 'attachments/x/y', 'foo.json', '../manifest.json']) {
      expect(parseEntryName(bad), bad).toBeNull();
    }
  });

  it('import into an empty profile → the same data; importing it again writes nothing', () => {
    const d = demo();
    const r = readBundle(writeBundle(d), ctx());
    if (!r.ok) throw new Error(r.error.message);
    const plan = planImport(emptyState(), r.value);
    expect(plan.counts.total).toEqual({ new: d.annotations.length, updated: 0, unchanged: 0, conflicts: 0 });
    expect(plan.counts.byUnit['320102']!.new).toBe(104);
    const ws = resolveConflicts(plan, {}, { name: '测试', unitCode: 'SJBM' }, '2025-07-01T00:00:00.000Z');
    if (!ws.ok) throw new Error(ws.error.message);
    const state = applyToState(emptyState(), ws.value);
    expect([...state.annotations.values()].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(normalList('annotations', d.annotations));
    expect(state.revisions.size).toBe(d.revisions.length);
    expect(state.logEntries.size).toBe(d.logEntries.length);
    expect(state.evidence.size).toBe(d.evidence.length);
    expect(state.attachmentHashes).toEqual(new Set(d.attachments.keys()));
    const second = resolveConflicts(planImport(state, r.value), {}, { name: '测试', unitCode: 'SJBM' }, '2025-07-02T00:00:00.000Z');
    expect(second.ok && isEmptyWriteSet(second.value)).toBe(true);
    // Export from the imported state: byte-identical to the original bundle.
    const again = selectForExport(
      {
        units: state.units!.values(),
        annotations: state.annotations.values(),
        revisions: state.revisions.values(),
        logEntries: state.logEntries.values(),
        evidence: state.evidence.values(),
        attachments: ws.value.attachments,
      },
      { scope: 'all' },
    );
    if (!again.ok) throw new Error(again.error.message);
    expect(Buffer.compare(writeBundle({ ...again.value, manifest: d.manifest }), writeBundle(d))).toBe(0);
  });

  it('scopes: units picks those units; since picks recent work with full ancestry, and both verify', () => {
    const d = demo({ units: 3 });
    const src = { ...d, attachments: d.attachments };
    const units = selectForExport(src, { scope: 'units', unitCodes: ['320104'] });
    if (!units.ok) throw new Error(units.error.message);
    expect(new Set(units.value.annotations.map((a) => a.unitCode))).toEqual(new Set(['320104']));
    expect(units.value.units.map((u) => u.code)).toEqual(['320104']);
    const since = '2025-05-01T00:00:00.000Z';
    const recent = selectForExport(src, { scope: 'since', since });
    if (!recent.ok) throw new Error(recent.error.message);
    const v = recent.value;
    expect(v.annotations.length).toBeGreaterThan(0);
    expect(v.annotations.length).toBeLessThan(d.annotations.length);
    expect(v.annotations.every((a) => a.updatedAt >= since)).toBe(true);
    expect(v.logEntries.every((e) => e.updatedAt >= since)).toBe(true);
    // Full ancestry: every revision of each chosen annotation, including those long before `since`.
    const keys = new Set(v.annotations.map((a) => a.key));
    expect(v.revisions.length).toBe(d.revisions.filter((r) => keys.has(r.key)).length);
    expect(v.revisions.some((r) => r.at < since)).toBe(true);
    for (const [sel, scope] of [
      [units.value, { scope: 'units' as const }],
      [v, { scope: 'since' as const, since }],
    ] as const) {
      const r = readBundle(writeBundle({ ...sel, manifest: { ...d.manifest, ...scope } }), ctx());
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.manifest.scope).toBe(scope.scope);
    }
    expect(selectForExport(src, { scope: 'since', since: 'last week' }).ok).toBe(false);
    expect(selectForExport(src, { scope: 'units', unitCodes: [] }).ok).toBe(false);
    // A live piece of evidence whose file is missing locally cannot be exported.
    const missing = selectForExport({ ...src, attachments: new Map() }, { scope: 'all' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('bundle.attachment_missing');
  });

  it('demo data is realistic: all statuses, valid fields and rich text, flags, problems for delays, branches', () => {
    const d = demo({ units: 2, revisionsPerAnnotation: 6 });
    expect(d.annotations.length).toBe(208);
    for (const u of ['320102', '320104']) {
      const statuses = new Set(d.annotations.filter((a) => a.unitCode === u).map((a) => a.status));
      expect([...statuses].sort()).toEqual([...STATUSES].sort());
    }
    for (const a of d.annotations) {
      expect(validateFields(a)).toEqual({});
      expect(validateRichDoc(a.progressNotes)).toBeNull();
      if (a.status === 'delayed') expect(a.problems).not.toBe('');
    }
    const flagged = d.annotations.filter((a) => a.isInnovation || a.isBestPractice).length / d.annotations.length;
    expect(flagged).toBeGreaterThan(0.04);
    expect(flagged).toBeLessThan(0.2);
    const notes = d.annotations.filter((a) => a.status === 'done').map((a) => a.progressNotes);
    expect(notes.some((n) => n.content.some((b) => b.type === 'bulletList'))).toBe(true);
    expect(JSON.stringify(notes)).toContain('"bold"');
    expect(Math.max(...notes.map((n) => plainText(n).length))).toBeGreaterThan(150);
    expect(d.annotations.some((a) => a.leadUnits.some((l) => l.startsWith('区')))).toBe(true);
    expect(d.revisions.some((r) => r.kind === 'merge' && r.parents.length === 2)).toBe(true);
    expect(d.revisions.some((r) => r.author.unitCode === 'SJBM')).toBe(true);
    expect(d.logEntries.some((e) => e.deleted)).toBe(true);
    expect(d.annotations.every((a) => a.deadline === null || (a.deadline >= '2023-01-01' && a.deadline <= '2026-12-31'))).toBe(true);
    // The data of a unit does not depend on how many units are generated.
    const one = demo({ units: 1, revisionsPerAnnotation: 6 });
    expect(one.annotations).toEqual(d.annotations.filter((a) => a.unitCode === '320102'));
  });
});

describe('bundle format versions', { timeout: 20_000 }, () => {
  it('the migration list is well-formed and ends at the current version', () => {
    expect(checkMigrations(MIGRATIONS)).toBeNull();
    const bad: FormatMigration[] = [{ from: 0, to: 2, title: 'x', description: 'x', apply: (r) => r }];
    expect(checkMigrations(bad)).not.toBeNull();
  });

  it('an older bundle is migrated before it is checked; without a migration path it is refused', () => {
    // A hypothetical version 0 without `isBestPractice` (added in version 1).
    const v0 = tamper(writeBundle(demo({ units: 1 })), {
      mutate: (f) => {
        editJson(f, 'annotations.json', (l) => l.forEach((a: Json) => delete a.isBestPractice));
        editJson(f, 'revisions.json', (l) => l.forEach((r: Json) => delete r.fields.isBestPractice));
      },
      manifest: (m) => (m.formatVersion = 0),
      rehash: true,
    });
    // Version 0 → 1 (hypothetical, the test's own), then this app's real migrations (1 → 2 …).
    const migrations: FormatMigration[] = [
      {
        from: 0,
        to: 1,
        title: '增加「最佳实践案例」标记',
        description: 'isBestPractice defaults to false',
        apply: (raw) => ({
          ...raw,
          records: {
            ...raw.records,
            annotations: raw.records.annotations.map((a) => ({ ...(a as object), isBestPractice: false })),
            revisions: raw.records.revisions.map((r) => ({ ...(r as Json), fields: { ...(r as Json).fields, isBestPractice: false } })),
          },
        }),
      },
      ...MIGRATIONS,
    ];
    expect(checkMigrations(migrations)).toBeNull();
    const r = readBundle(v0, { ...ctx(), migrations });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(r.value.annotations.every((a) => a.isBestPractice === false)).toBe(true);
    // This app has no migration from version 0: refused with a clear message.
    expectRefused(readBundle(v0, ctx()), 'bundle.unsupported_version');
  });

  it('a newer version asks to upgrade (also from migrateRaw directly)', () => {
    const r = migrateRaw({ manifest: {}, records: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } }, FORMAT_VERSION + 3);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bundle.future_version');
      expect(r.error.message).toContain('请升级本软件');
    }
  });
});
