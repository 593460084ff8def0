/**
 * The import-cycle check (tests/support/importCycles.ts, run by `npm test`): it must find a cycle planted
 * in a folder — through a value import, a type-only import, a re-export or an `import()` — print it
 * and fail, and pass a folder whose imports only go one way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findImportCycles } from '../support/importCycles';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project folder with the given files (path → source). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const ACYCLIC = {
  'src/a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
  'src/b.ts': "import { c } from './lib/c';\nexport const b = c;\n",
  'src/lib/c.ts': "import { z } from 'zod';\nexport const c = z ? 1 : 0;\n",
  'src/view.tsx': "import { a } from './a';\nexport const View = () => a;\n",
};

describe('import-cycle check', () => {
  it('passes when imports only go one way (packages are not followed)', () => {
    const r = findImportCycles(project(ACYCLIC), ['src']);
    expect(r.modules).toHaveLength(4);
    expect(r.cycles).toEqual([]);
  });

  it('finds a planted cycle through a value import and names every module on it', () => {
    const root = project({ ...ACYCLIC, 'src/lib/c.ts': "import { a } from '../a';\nexport const c = () => a;\n" });
    expect(findImportCycles(root, ['src']).cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/lib/c.ts', 'src/a.ts']]);
  });

  it('fails on cycles through re-exports and import(); one that closes only through types is a note, not a failure', () => {
    const root = project({
      'src/format.ts': "import type { Snapshot } from './model';\nexport const hash = (s: Snapshot) => s.id;\n",
      'src/model.ts': "import { hash } from './format';\nexport interface Snapshot { id: string }\nexport const h = hash;\n",
      'src/index.ts': "export * from './run';\n",
      'src/run.ts': "const load = () => import('./command');\nexport interface Io { out(t: string): void }\nexport { load };\n",
      'src/command.ts': "export { load } from './index';\n",
      'src/types.ts': "import { type Io } from './run';\nimport type { Snapshot } from './model';\nexport type Both = Io | Snapshot;\n",
    });
    const report = findImportCycles(root, ['src']);
    expect(report.cycles).toEqual([['src/command.ts', 'src/index.ts', 'src/run.ts', 'src/command.ts']]);
    expect(report.typeCycles).toEqual([['src/format.ts', 'src/model.ts', 'src/format.ts']]);
  });

  it('a type-only cycle becomes a failure as soon as its type import loads a value', () => {
    const root = project({
      'src/format.ts': "import { kind } from './model';\nexport const hash = () => kind;\n",
      'src/model.ts': "import { hash } from './format';\nexport const kind = 'm';\nexport const h = hash;\n",
    });
    expect(findImportCycles(root, ['src'])).toMatchObject({ cycles: [['src/format.ts', 'src/model.ts', 'src/format.ts']], typeCycles: [] });
  });

  it('reports each cycle of a group once: a hub with two back-edges is two cycles', () => {
    const root = project({
      'src/docx.ts': "import { p } from './progress';\nimport { c } from './changes';\nexport const body = () => [p, c];\n",
      'src/progress.ts': "import { body } from './docx';\nexport const p = body;\n",
      'src/changes.ts': "import { body } from './docx';\nexport const c = body;\n",
    });
    expect(findImportCycles(root, ['src']).cycles).toEqual([
      ['src/changes.ts', 'src/docx.ts', 'src/changes.ts'],
      ['src/progress.ts', 'src/docx.ts', 'src/progress.ts'],
    ]);
  });

  it('as a command: exits 1 and prints the cycle; exits 0 on the acyclic folder', async () => {
    const run = (cwd: string) =>
      new Promise<{ code: number; out: string }>((done) =>
        execFile(resolve('node_modules/.bin/tsx'), [resolve('tests/support/importCycles.ts'), 'src'], { cwd, encoding: 'utf8' }, (error, stdout, stderr) =>
          done({ code: error ? Number(error.code) : 0, out: `${stdout}${stderr}` }),
        ),
      );
    const cyclic = project({ 'src/a.ts': "import './b';\n", 'src/b.ts': "import './a';\n" });
    const bad = await run(cyclic);
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('src/a.ts → src/b.ts → src/a.ts');
    const good = await run(project(ACYCLIC));
    expect(good.code, good.out).toBe(0);
  });
});
