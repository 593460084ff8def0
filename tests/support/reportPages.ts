/**
 * Pictures of the city report's pages for the README: the first page, a body page, the 落款 page
 * (附件说明, 落款, 附注) and the 版记 page, from the demo data (13 units, seed 1), rendered by
 * LibreOffice into test-results/report-pages/ (README's copies: resources/screenshots/report-city-*.png).
 * Run: `npx tsx tests/support/reportPages.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src-main/cli/run';
import { docxToPdf, pagePng, pdfPages } from './officeRender';

async function main(): Promise<void> {
  const out = resolve('test-results/report-pages');
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'report-pages-'));
  try {
    const io = { out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) };
    const bundle = join(dir, 'demo.pilotbundle');
    if ((await runCli(['demo', '--units', '13', '--seed', '1', '--out', bundle], io)) !== 0) throw new Error('demo failed');
    const docx = join(dir, 'city.docx');
    const form = ['--org-mark', '南京市商务局文件', '--doc-number', '宁商发〔2025〕12号', '--signer', '王五', '--note', '联系人：张三，电话：025-12345678', '--copy-to', '各区人民政府，江北新区管委会'];
    if ((await runCli(['report', '--kind', 'city', '--bundle', bundle, '--out', docx, ...form], io)) !== 0) throw new Error('report failed');
    // About 50 pages; LibreOffice converts it in well under a minute here.
    const pdf = docxToPdf(docx, dir, 600_000);
    const pages = pdfPages(pdf);
    const signature = pages.find((p) => p.text.includes('附件：'));
    const wanted: [string, number][] = [
      ['city-first', 1],
      ['city-body', 2],
      ['city-signature', signature?.number ?? 1],
      ['city-colophon', pages.length],
    ];
    for (const [name, n] of wanted) process.stdout.write(`${pagePng(pdf, n, join(out, name))}（第 ${n} 页）\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
