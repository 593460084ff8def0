/**
 * The benchmark's own tools, where a slip would make its figures wrong without anyone noticing: the
 * ×4 data must be four distinct copies of the city data (else "×4" would measure a re-import of the
 * same rows), and a report's peak memory must be the report's own, not that of the process that
 * started it (issue #8; BENCHMARKS.md, Method). Nothing here is timed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { combine, rekey, type ReportData } from '../bench/data';
import { corpus, ctx } from './bundle-fixtures';

const small = (k: number) =>
  rekey(makeDemoData({ units: 2, seed: 40 + k, corpus: corpus(), revisionsPerAnnotation: 3, logEntriesPerAnnotation: 1, attachments: 2 }), k, 2);

describe('the ×4 data', () => {
  it('is four distinct copies of the city data: one bundle that verifies, four times the rows, none shared', () => {
    const parts = [0, 1, 2, 3].map(small);
    const city = parts[0]!;
    const read = readBundle(writeBundle(combine(parts)), ctx());
    if (!read.ok) throw new Error(`×4 bundle must verify: ${read.error.message}`);
    const x4 = read.value;
    expect(x4.units).toHaveLength(4 * city.units.length);
    expect(new Set(x4.annotations.map((a) => a.key)).size).toBe(4 * city.annotations.length);
    expect(new Set(x4.revisions.map((r) => r.id)).size).toBe(4 * city.revisions.length);
    expect(new Set(x4.logEntries.map((e) => e.id)).size).toBe(4 * city.logEntries.length);
    // Copy 1 is the city data itself; the others point at their own units only.
    expect(x4.annotations.filter((a) => !a.unitCode.includes('-')).map((a) => a.key).sort()).toEqual(city.annotations.map((a) => a.key).sort());
    const units = new Set(x4.units.map((u) => u.code));
    for (const a of x4.annotations) expect(units.has(a.unitCode)).toBe(true);
    const revisionKey = new Map(x4.revisions.map((r) => [r.id, r.key]));
    for (const a of x4.annotations) expect(revisionKey.get(a.head)).toBe(a.key);
  });
});

describe('a report’s peak memory', () => {
  it('is the report process’s own, even when the process that started it is large', { timeout: 120_000 }, () => {
    const d = small(0);
    const dir = mkdtempSync(join(tmpdir(), 'bench-tools-'));
    const dataPath = join(dir, 'report.json');
    const rd: ReportData = { units: d.units, annotations: d.annotations, logEntries: d.logEntries, evidence: d.evidence };
    writeFileSync(dataPath, JSON.stringify(rd));
    // ~600 MB resident in this process while it starts the child: on Linux the child's getrusage
    // maxRSS starts at this (the figure before session 8 showed it instead of the report's peak).
    const ballast = Array.from({ length: 600 }, () => Buffer.alloc(1 << 20, 1));
    try {
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', resolve('tests/bench/report-child.ts'), dataPath, 'xlsx'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { peakRssMb: number; peakRssSource: string; bytes: number };
      expect(out.bytes).toBeGreaterThan(0);
      expect(out.peakRssSource).toBe('VmHWM since the inputs were loaded');
      // A two-unit ledger in a fresh node process (~150–250 MB with its modules): well under the
      // parent's 600 MB, which the old figure (getrusage maxRSS) reported here.
      expect(out.peakRssMb).toBeGreaterThan(0);
      expect(out.peakRssMb).toBeLessThan(400);
    } finally {
      expect(ballast.length).toBe(600);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
