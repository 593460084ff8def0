/**
 * The report's charts are drawn with the CJK font cut down to the characters they use (resvg reads
 * its font again for every label; the whole 20 MB collection made that most of a report's time).
 * What a report author relies on: the pictures are exactly those drawn with the whole font, Chinese
 * included; and a font that cannot be cut still gives the charts.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { DEFAULT_UNITS } from '../../src-main/shared/domain';
import { buildReportModel, type ReportModel } from '../../src-main/shared/report/model';
import { reportCharts } from '../../src-main/shared/report/charts';
import { chartSvg, findCjkFont, renderChartPng, renderChartPngsAsync } from '../../src-main/main/report/charts';
import { fontFamilies, subsetFontFile } from '../../src-main/main/report/fontSubset';
import { readFile } from 'node:fs/promises';
import { corpus, demoCityAnnotations } from './report-fixtures';

function cityModel(): ReportModel {
  const c = corpus();
  const m = buildReportModel({
    kind: 'city', corpus: c, units: [...DEFAULT_UNITS], annotations: demoCityAnnotations(c), logEntries: [], evidence: [],
    scope: { unitCodes: [], tables: [], statuses: [] }, asOf: '2025-03-05', title: '', issuer: '南京市商务局', signDate: '2025-03-05',
  });
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

const font = findCjkFont();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the charts’ font, cut down', () => {
  it('finds this machine’s CJK font (CI installs fonts-noto-cjk)', () => {
    expect(font).not.toBeNull();
  });

  it('reads the family of every face of a font collection', async () => {
    const families = fontFamilies(new Uint8Array(await readFile(font!.path)));
    expect(families.length).toBeGreaterThan(1);
    expect(families.flat()).toContain(font!.family);
  });

  it('keeps the named face and only the glyphs asked for: a few KB instead of megabytes', async () => {
    const cut = await subsetFontFile(font!.path, font!.family, '已完成基本完成表一二三四五玄武区0123456789%');
    expect(cut.family).toBe(font!.family);
    expect(fontFamilies(cut.font)).toEqual([[font!.family]]);
    expect(cut.font.byteLength).toBeLessThan(100_000);
  }, 60_000);

  it('draws every chart of a city report pixel for pixel as the whole font does', async () => {
    const specs = reportCharts(cityModel());
    expect(specs.length).toBeGreaterThan(0);
    const cut = await renderChartPngsAsync(specs);
    const whole = specs.map((s) => renderChartPng(s));
    expect(cut.map((c) => c.id)).toEqual(specs.map((s) => s.id));
    for (let i = 0; i < specs.length; i++) {
      expect(cut[i]!.cjkFont).toBe(true);
      expect([cut[i]!.width, cut[i]!.height]).toEqual([whole[i]!.width, whole[i]!.height]);
      expect(Buffer.from(cut[i]!.png).equals(Buffer.from(whole[i]!.png))).toBe(true);
    }
    // The labels are drawn: without any CJK font the same chart is a different picture.
    const bare = new Resvg(chartSvg(specs[0]!, font!.family), { fitTo: { mode: 'zoom', value: 2.5 }, background: '#ffffff', font: { loadSystemFonts: false } }).render();
    expect(Buffer.from(bare.asPng()).equals(Buffer.from(cut[0]!.png))).toBe(false);
  }, 120_000);

  it('refuses a file that is not a font with an error, and the charts are still drawn (valid SVG without a named CJK font)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-font-'));
    const bad = join(dir, 'bad.ttf');
    writeFileSync(bad, Uint8Array.from({ length: 4096 }, (_, i) => (i * 131) % 251));
    expect(() => fontFamilies(new Uint8Array(8))).toThrow();
    await expect(subsetFontFile(bad, '', '中文')).rejects.toThrow();
    expect(existsSync(bad)).toBe(true);

    vi.stubEnv('PILOT_DESK_CJK_FONT', bad);
    vi.resetModules();
    const fresh = await import('../../src-main/main/report/charts');
    const imgs = await fresh.renderChartPngsAsync(reportCharts(cityModel()).slice(0, 1));
    expect(imgs).toHaveLength(1);
    expect(Array.from(imgs[0]!.png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  }, 120_000);
});
