/**
 * Pictures of the 13-unit demo 情况通报 (tests/support/circularDemo.ts) for the README: the first page
 * and the page with the unit table, rendered by LibreOffice into test-results/circular-pages/.
 * Run: `npx tsx tests/support/circularPages.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderCircularDocx } from '../../src-main/main/report/circularDocx';
import { loadCorpus } from '../../src-main/main/services/corpus';
import { demoCircular } from './circularDemo';
import { docxToPdf, pagePng, pdfPages } from './officeRender';

async function main(): Promise<void> {
  const out = resolve('test-results/circular-pages');
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'circular-pages-'));
  try {
    const c = loadCorpus();
    if (!c.ok) throw new Error(c.error.message);
    const docx = join(dir, 'circular.docx');
    writeFileSync(docx, await renderCircularDocx(demoCircular(c.value)));
    const pdf = docxToPdf(docx, dir);
    const pages = pdfPages(pdf);
    const table = pages.find((p) => p.text.includes('报送时间'))?.number ?? 1;
    for (const [name, n] of [['circular-first', 1], ['circular-table', table]] as const) process.stdout.write(`${pagePng(pdf, n, join(out, name))}（第 ${n} 页，共 ${pages.length} 页）\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
