/**
 * Each report kind goes through LibreOffice to PDF, as a recipient without Word would open it, and
 * the PDF's text holds the title, a task id and a note from the test data. Needs soffice and
 * pdftotext (installed by .ci/run); without them the test fails and says what to install.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReportModel, type ReportKind } from '../../src-main/shared/report/model';
import { renderReportDocx } from '../../src-main/main/report/docx';
import { AS_OF, NOTE_MARK, UNITS, corpus, smallAnnotations, smallEvidence, smallLogs } from './report-fixtures';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { reportCommand } from '../../src-main/cli/commands/report';

const c = corpus();
const TITLES: Record<ReportKind, string> = {
  district: '玄武区服务业扩大开放综合试点推进情况报告',
  city: '南京市服务业扩大开放综合试点推进情况暨三年评估报告',
  ledger: '玄武区试点任务清单推进情况表',
};

function need(cmd: string, pkg: string): void {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && cmd !== 'pdftotext')) {
    throw new Error(`${cmd} not found: install ${pkg} (apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-noto-cjk)`);
  }
}

/** Text of a PDF with all white space removed (cells and lines wrap anywhere). */
function pdfText(file: string): string {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout.replace(/\s+/g, '');
}

describe('LibreOffice renders every report kind', () => {
  it('converts district, city and ledger reports to PDF with the title, a task id and a note', async () => {
    need('soffice', 'libreoffice-writer-nogui');
    need('pdftotext', 'poppler-utils');
    const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
    const profile = mkdtempSync(join(tmpdir(), 'lo-'));
    try {
      const files: string[] = [];
      for (const kind of ['district', 'city', 'ledger'] as const) {
        const r = buildReportModel({
          kind,
          corpus: c,
          units: UNITS,
          annotations: smallAnnotations(),
          logEntries: smallLogs(),
          evidence: smallEvidence(),
          scope: { unitCodes: kind === 'city' ? [] : ['320102'], tables: [], statuses: [] },
          asOf: AS_OF,
          title: TITLES[kind],
          issuer: kind === 'city' ? '南京市商务局' : '玄武区人民政府',
          signDate: AS_OF,
        });
        if (!r.ok) throw new Error(r.error.message);
        const file = join(dir, `${kind}.docx`);
        writeFileSync(file, await renderReportDocx(r.value));
        files.push(file);
      }
      const lo = spawnSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files], {
        encoding: 'utf8',
        timeout: 150_000,
      });
      expect(lo.status, `soffice: ${lo.stderr}`).toBe(0);
      for (const kind of ['district', 'city', 'ledger'] as const) {
        const pdf = join(dir, `${kind}.pdf`);
        expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
        const text = pdfText(pdf);
        expect(text, kind).toContain(TITLES[kind]);
        expect(text, kind).toContain('T1-01');
        if (kind === 'ledger') {
          // In a narrow table cell the note wraps, and pdftotext may interleave the next cells'
          // lines: its characters must appear in order, each within a few characters of the last.
          const inOrder = new RegExp(Array.from(NOTE_MARK).join('[\\s\\S]{0,40}?'));
          expect(inOrder.test(text), `${kind}: ${NOTE_MARK}`).toBe(true);
        } else {
          expect(text, kind).toContain(NOTE_MARK);
          expect(text, kind).toContain('一、总体推进情况');
          expect(text, kind).toContain('2025年3月5日');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  }, 180_000);
});

/** Page texts of a PDF, one string per page (pdftotext separates pages with a form feed). */
function pageTexts(file: string): string[] {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
}

describe('length of the demo reports (13 units, seed 1), as LibreOffice lays them out', () => {
  it('city: body ≤ 30 pages, whole ≤ 120; district: body ≤ 15, whole ≤ 50 — with the CLI defaults', async () => {
    need('soffice', 'libreoffice-writer-nogui');
    need('pdftotext', 'poppler-utils');
    const dir = mkdtempSync(join(tmpdir(), 'report-length-'));
    const profile = mkdtempSync(join(tmpdir(), 'lo-'));
    try {
      const corpusR = loadCorpus();
      if (!corpusR.ok) throw new Error(corpusR.error.message);
      const bundle = join(dir, 'demo.pilotbundle');
      writeFileSync(bundle, writeBundle(makeDemoData({ units: 13, seed: 1, corpus: corpusR.value })));
      const io = { out: () => {}, err: (s: string) => void errors.push(s) } as never;
      const errors: string[] = [];
      expect(await reportCommand(['--kind', 'city', '--bundle', bundle, '--out', join(dir, 'city.docx')], io)).toBe(0);
      expect(await reportCommand(['--kind', 'district', '--unit', '320102', '--bundle', bundle, '--out', join(dir, 'district.docx')], io)).toBe(0);
      expect(errors.join('')).toBe('');
      const lo = spawnSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'city.docx'), join(dir, 'district.docx')], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(lo.status, `soffice: ${lo.stderr}`).toBe(0);
      const limits = { city: { body: 30, whole: 120 }, district: { body: 15, whole: 50 } };
      for (const kind of ['city', 'district'] as const) {
        const pages = pageTexts(join(dir, `${kind}.pdf`));
        // The body ends where 附件1 starts: the page whose first line is 「附件1」.
        const annex = pages.findIndex((p) => /^\s*附件\s*1\s*$/mu.test(p.split('\n').find((l) => l.trim()) ?? ''));
        expect(annex, `${kind}: 附件1 not found`).toBeGreaterThan(0);
        expect(annex, `${kind} body pages`).toBeLessThanOrEqual(limits[kind].body);
        expect(pages.length, `${kind} pages`).toBeLessThanOrEqual(limits[kind].whole);
        expect(pages[0]).toContain('一、总体推进情况');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  }, 600_000);
});
