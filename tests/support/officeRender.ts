/**
 * A .docx through LibreOffice to PDF and the PDF's pages, for the render checks (the `office` test
 * project) and the report page pictures (`reportPages.ts`). Needs soffice and poppler-utils.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export function need(cmd: string, pkg: string): void {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && cmd !== 'pdftotext')) {
    throw new Error(`${cmd} not found: install ${pkg} (apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-noto-cjk)`);
  }
}

/** Converts `docx` to a PDF beside it (a throwaway LibreOffice profile); returns the PDF's path. */
export function docxToPdf(docx: string, outDir: string, timeoutMs = 300_000): string {
  need('soffice', 'libreoffice-writer-nogui');
  need('pdftotext', 'poppler-utils');
  const profile = mkdtempSync(join(tmpdir(), 'lo-'));
  try {
    const lo = spawnSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, docx], {
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (lo.status !== 0) throw new Error(lo.error ? `soffice did not finish: ${String(lo.error)}` : `soffice failed: ${lo.stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return join(outDir, basename(docx).replace(/\.docx$/i, '.pdf'));
}

export interface PdfWord {
  text: string;
  /** Top and bottom of the word, in points from the page's top. */
  yMin: number;
  yMax: number;
}
export interface PdfPage {
  /** 1-based. */
  number: number;
  height: number;
  words: PdfWord[];
  /** The page's text without white space. */
  text: string;
}

/** Every page of a PDF with its words and their positions (`pdftotext -bbox`). */
export function pdfPages(pdf: string): PdfPage[] {
  const r = spawnSync('pdftotext', ['-bbox', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  const pages: PdfPage[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of r.stdout.matchAll(pageRe)) {
    const words = [...m[3]!.matchAll(wordRe)].map((w) => ({ text: unescape(w[3]!), yMin: Number(w[1]), yMax: Number(w[2]) }));
    pages.push({ number: pages.length + 1, height: Number(m[2]), words, text: words.map((w) => w.text).join('') });
  }
  return pages;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** A page of the PDF as PNG (`pdftoppm`), written to `outPrefix`.png. */
export function pagePng(pdf: string, page: number, outPrefix: string, dpi = 60): string {
  const r = spawnSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, outPrefix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  return `${outPrefix}.png`;
}
