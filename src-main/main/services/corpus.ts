/**
 * Loads and parses the seed at start-up. Plain Node (no electron), so the CLI and the browser
 * harness use exactly the same code as the desktop app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCorpus } from '../../shared/corpus/parse';
import type { Corpus } from '../../shared/corpus/types';
import { fail, ok, type Result } from '../../shared/result';

/** The seed file's name, kept verbatim in `seeds/`. */
export const SEED_FILE = '000_ce194d28eb90452b.txt';

/**
 * Where the seed may be: an explicit override, the packaged app's resources, and the project's
 * `seeds/` folder seen from source (`src-main/*`) or from the build (`out/main`).
 */
export function seedCandidates(env: NodeJS.ProcessEnv = process.env, resourcesPath?: string): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const list: string[] = [];
  if (env.PILOT_DESK_SEED) list.push(resolve(env.PILOT_DESK_SEED));
  if (resourcesPath) list.push(join(resourcesPath, 'seeds', SEED_FILE));
  for (const up of ['..', '../..', '../../..']) list.push(resolve(here, up, 'seeds', SEED_FILE));
  return [...new Set(list)];
}

/** Reads and parses the seed at `path`. Any failure is a value with a Chinese message. */
export function loadCorpusFile(path: string): Result<Corpus> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return fail(
      'corpus.missing',
      `找不到试点方案原文（${path}）。请重新安装本软件，或恢复 seeds 目录中的原文文件。`,
      String(e),
    );
  }
  const parsed = parseCorpus(text);
  if (!parsed.ok) return fail(`corpus.${parsed.error.code}`, parsed.error.message, parsed.error.detail);
  return ok(parsed.value);
}

/** Loads the first seed that exists among the candidates. */
export function loadCorpus(candidates: string[] = seedCandidates()): Result<Corpus> {
  const found = candidates.find((p) => existsSync(p));
  return loadCorpusFile(found ?? candidates[0] ?? SEED_FILE);
}
