/**
 * Bundle format version 2: periods and snapshots travel in bundles, a version 1 bundle written by
 * the previous release still imports (as one without snapshots), and a reader of version 1 refuses
 * a version 2 bundle asking to upgrade.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { FORMAT_VERSION, MIGRATIONS, checkMigrations, migrateRaw } from '../../src-main/shared/bundle/format';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { selectForExport, writeBundle } from '../../src-main/shared/bundle/write';
import { compareSnapshots, changeCount } from '../../src-main/shared/snapshot/compare';
import { snapshotIntact } from '../../src-main/shared/snapshot/model';
import { corpus, ctx, text } from './bundle-fixtures';
import { PERIOD_2024, snapshotBundle } from './snapshot-fixtures';

/** Written by `pilot-desk demo --units 1 --seed 3` of the release with format version 1 (commit 0279f9d). */
const V1_FIXTURE = new URL('../fixtures/bundles/v1-demo.pilotbundle', import.meta.url);

describe('bundle format version 2', () => {
  it('is version 2 or later, with a contiguous migration list from version 1', () => {
    expect(FORMAT_VERSION).toBeGreaterThanOrEqual(2);
    expect(checkMigrations(MIGRATIONS)).toBeNull();
    expect(MIGRATIONS[0]).toMatchObject({ from: 1, to: 2 });
  });

  it('reads a real version 1 bundle as the current version with no periods and no snapshots, every record kept', () => {
    const bytes = new Uint8Array(readFileSync(V1_FIXTURE));
    const manifest = JSON.parse(text(unzipSync(bytes)['manifest.json']!));
    expect(manifest.formatVersion).toBe(1);
    expect(Object.keys(unzipSync(bytes))).not.toContain('snapshots.json');
    const r = readBundle(bytes, ctx());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(r.value.periods).toEqual([]);
    expect(r.value.snapshots).toEqual([]);
    expect(r.value.annotations).toHaveLength(manifest.counts.annotations);
    expect(r.value.revisions).toHaveLength(manifest.counts.revisions);
    expect(r.value.attachments.size).toBe(manifest.counts.attachments);
  });

  it('carries periods and snapshots: read back equal, intact, and comparing the same', () => {
    const { bytes, snapshot } = snapshotBundle();
    const r = readBundle(bytes, ctx());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.manifest.counts).toMatchObject({ periods: 1, snapshots: 1 });
    expect(r.value.periods).toEqual([PERIOD_2024]);
    expect(r.value.snapshots).toEqual([snapshot]);
    expect(snapshotIntact(r.value.snapshots![0]!)).toBe(true);
    // Against the bundle's own annotations the snapshot shows nothing changed.
    const now = { entries: snapshot.entries };
    expect(changeCount(compareSnapshots(r.value.snapshots![0]!, now))).toBe(0);
    // Deterministic: the same input gives the same bytes.
    const d = makeDemoData({ units: 1, seed: 3, corpus: corpus() });
    expect(writeBundle({ ...d, periods: [PERIOD_2024], snapshots: [snapshot] })).toEqual(bytes);
  });

  it('exports every period and snapshot in every scope (a snapshot is never cut down)', () => {
    const { snapshot } = snapshotBundle();
    const d = makeDemoData({ units: 2, seed: 3, corpus: corpus() });
    const src = { ...d, periods: [PERIOD_2024], snapshots: [snapshot] };
    for (const scope of [{ scope: 'all' } as const, { scope: 'units', unitCodes: [d.units[1]!.code] } as const, { scope: 'since', since: '2099-01-01T00:00:00.000Z' } as const]) {
      const sel = selectForExport(src, scope);
      if (!sel.ok) throw new Error(sel.error.message);
      expect(sel.value.snapshots).toEqual([snapshot]);
      expect(sel.value.periods).toEqual([PERIOD_2024]);
    }
  });

  it('a version 1 reader refuses a version 2 bundle with the existing "please upgrade" message', () => {
    // What read.ts of version 1 does with formatVersion 2: migrateRaw/futureVersion with its target 1.
    const r = migrateRaw({ manifest: {}, records: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } }, 2, [], 1);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bundle.future_version');
      expect(r.error.message).toContain('格式版本 2，本软件支持到版本 1');
      expect(r.error.message).toContain('请升级本软件');
    }
  });
});
