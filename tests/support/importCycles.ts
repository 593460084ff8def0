/**
 * Import-cycle check: builds the graph of the project's own modules (every `import`, `export … from`,
 * `import type` and `import()`), resolved the way the compiler resolves them with the project's
 * tsconfig, and reports every cycle. A run-time cycle makes the value a module sees depend on which
 * side happened to load first (the Word report's docx ↔ progress was one): it fails the check. A
 * cycle that closes only through `import type` / `export type` is erased by the compiler and cannot
 * misload, but still ties modules together: it is printed as a note, to be untangled, and does not
 * fail.
 *
 *   npx tsx tests/support/importCycles.ts                 # the project: src-main and src-renderer
 *   npx tsx tests/support/importCycles.ts <dir>… [--project tsconfig.json]   # default: ./tsconfig.json if there is one
 *
 * Exit codes: 0 no run-time cycle · 1 run-time cycles (each printed as a → b → a) · 2 bad usage.
 */
import ts from 'typescript';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CycleReport {
  /** Modules scanned, relative to `root`, with forward slashes. */
  modules: string[];
  /** Each run-time cycle as the path a → b → … → a (first module repeated last): the shortest through each module on one. */
  cycles: string[][];
  /** Cycles that close only through type-only imports or re-exports (erased at compile time). */
  typeCycles: string[][];
}

/**
 * The modules a file imports, each with whether every import of it is type-only (`import type`,
 * `import { type A }`, `export type … from`): those are erased and load nothing at run time.
 */
function importsOf(text: string): Map<string, boolean> {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const typeOnly = new Map<string, boolean>();
  const note = (spec: string, erased: boolean) => typeOnly.set(spec, (typeOnly.get(spec) ?? true) && erased);
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const erased = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      note(st.moduleSpecifier.text, erased);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const named = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements : null;
      note(st.moduleSpecifier.text, st.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    }
  }
  // Anything else the compiler's pre-processor finds (import(), require) loads at run time.
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) if (!typeOnly.has(ref.fileName)) note(ref.fileName, false);
  return typeOnly;
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;

function listSources(dir: string, into: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listSources(path, into);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) into.push(path);
  }
}

function compilerOptions(tsconfig: string | undefined): ts.CompilerOptions {
  if (!tsconfig) return { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: false };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), undefined, tsconfig).options;
}

/**
 * Tarjan's strongly connected components; a component of two or more modules, or one module that
 * imports itself, holds at least one cycle.
 */
function components(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  // Iterative, so a long import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    indexOf.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++];
        if (!indexOf.has(to)) {
          indexOf.set(to, index);
          low.set(to, index++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, indexOf.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        if (group.length > 1 || edges.includes(frame.node)) out.push(group);
      }
    }
  }
  return out;
}

/** The shortest cycle through `from` inside its group (breadth-first), as a path that ends where it starts. */
function shortestCycle(graph: Map<string, string[]>, group: Set<string>, from: string): string[] {
  const previous = new Map<string, string>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const to of graph.get(node) ?? []) {
      if (!group.has(to)) continue;
      if (to === from) {
        const path = [node];
        while (path[0] !== from) path.unshift(previous.get(path[0])!);
        return [...path, from];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [from, from];
}

/**
 * Scans `dirs` (relative to `root`) and returns the import cycles among the modules found there.
 * Imports that resolve outside those folders (packages, other folders) are not followed.
 */
export function findImportCycles(root: string, dirs: string[], tsconfig?: string): CycleReport {
  const options = compilerOptions(tsconfig);
  const files: string[] = [];
  for (const dir of dirs) listSources(resolve(root, dir), files);
  const known = new Set(files.map((f) => resolve(f)));
  const name = (abs: string) => relative(root, abs).split(sep).join('/');
  const host = ts.createCompilerHost(options);
  const cache = ts.createModuleResolutionCache(root, (s) => s, options);

  const graph = new Map<string, string[]>();
  const runtime = new Map<string, string[]>();
  for (const file of [...known].sort()) {
    const targets = new Set<string>();
    const loaded = new Set<string>();
    for (const [spec, erased] of importsOf(ts.sys.readFile(file) ?? '')) {
      const resolved = ts.resolveModuleName(spec, file, options, host, cache).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = resolve(resolved.resolvedFileName);
      if (!known.has(target)) continue;
      targets.add(name(target));
      if (!erased) loaded.add(name(target));
    }
    graph.set(name(file), [...targets].sort());
    runtime.set(name(file), [...loaded].sort());
  }
  const cycles = cyclesOf(runtime);
  const runtimeKeys = new Set(cycles.map(ringKey));
  const typeCycles = cyclesOf(graph).filter((c) => !runtimeKeys.has(ringKey(c)));
  return { modules: [...graph.keys()], cycles, typeCycles };
}

/** A cycle's modules from its smallest name on, so the same ring found from two places is one. */
function ringKey(cycle: string[]): string {
  const ring = cycle.slice(0, -1);
  const start = ring.indexOf([...ring].sort()[0]);
  return [...ring.slice(start), ...ring.slice(0, start)].join('\n');
}

function cyclesOf(graph: Map<string, string[]>): string[][] {

  // Every module of a group is on some cycle; print the shortest through each, once per cycle, so
  // each import that has to go shows up (docx ↔ changes and docx ↔ progress are two cycles).
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const group of components(graph)) {
    const members = new Set(group);
    for (const member of [...members].sort()) {
      const cycle = shortestCycle(graph, members, member);
      const key = ringKey(cycle);
      if (seen.has(key)) continue;
      seen.add(key);
      cycles.push(cycle);
    }
  }
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

function main(argv: string[]): number {
  const root = process.cwd();
  let project: string | undefined = existsSync(resolve(root, 'tsconfig.json')) ? resolve(root, 'tsconfig.json') : undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project') {
      const value = argv[++i];
      if (!value) {
        console.error('import-cycles: --project needs a tsconfig path');
        return 2;
      }
      project = resolve(root, value);
    } else dirs.push(argv[i]);
  }
  if (dirs.length === 0) dirs.push('src-main', 'src-renderer');
  const report = findImportCycles(root, dirs, project);
  if (report.typeCycles.length > 0) {
    console.log(`import-cycles: note — ${report.typeCycles.length} cycle(s) only through type imports (erased at compile time, not a failure; worth untangling):`);
    for (const cycle of report.typeCycles) console.log(`  ${cycle.join(' → ')}`);
  }
  if (report.cycles.length === 0) {
    console.log(`import-cycles: no run-time cycle among ${report.modules.length} modules in ${dirs.join(', ')}`);
    return 0;
  }
  console.error(`import-cycles: ${report.cycles.length} run-time import cycle(s) — break each (move the shared part into a module both can import):`);
  for (const cycle of report.cycles) console.error(`  ${cycle.join(' → ')}`);
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
