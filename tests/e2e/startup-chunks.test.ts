/**
 * What the first screen loads (issue #8): the scripts the page evaluates before it can draw the task
 * list are the entry chunk and everything it imports statically. The bundle and backup code (the zip
 * library, the bundle schemas) is not among them: evaluating it cost ~15 ms of the first render on
 * this machine, and it is first needed for a backup (5 s after start) or an import. Checked on the
 * built renderer (`npm test` builds before the e2e project runs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = resolve('out/renderer');

/** The entry module and its static imports, transitively (file names under assets/). */
function startupChunks(): Set<string> {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const entry = /<script[^>]+type="module"[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no module entry in index.html');
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(join(OUT, 'assets', f), 'utf8');
    // Static imports only (`import … from"./x.js"`, `import"./x.js"`), not `import("./x.js")`.
    for (const m of src.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g)) todo.push(m[1]!);
  }
  return seen;
}

/** Strings that only the zip library (fflate) and the bundle schemas (zod) contain. */
const BUNDLE_CODE = ['invalid zip data', 'ZodError'];

describe('the first screen’s scripts', () => {
  it('do not include the zip library or the bundle schemas, which load when a backup or an import first needs them', () => {
    expect(existsSync(join(OUT, 'index.html')), 'run `npm run build` first').toBe(true);
    const chunks = startupChunks();
    expect(chunks.size).toBeGreaterThan(1);
    const assets = readdirSync(join(OUT, 'assets')).filter((f) => f.endsWith('.js'));
    for (const marker of BUNDLE_CODE) {
      const holders = assets.filter((f) => readFileSync(join(OUT, 'assets', f), 'utf8').includes(marker));
      // The marker still names that code (else this test would pass for the wrong reason)…
      expect(holders.length, marker).toBeGreaterThan(0);
      // …and none of the chunks that hold it is evaluated at start.
      expect(holders.filter((f) => chunks.has(f)), marker).toEqual([]);
    }
  });
});
