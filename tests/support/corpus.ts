/**
 * The real corpus for tests: the project's seed, parsed once per test file by the same main-side
 * service the app uses. A damaged or missing seed fails the test with the service's Chinese message
 * (never an empty corpus that would make every count trivially pass).
 */
import { loadCorpus } from '../../src-main/main/services/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';

let cached: Corpus | null = null;

export function testCorpus(): Corpus {
  if (!cached) {
    const r = loadCorpus();
    if (!r.ok) throw new Error(r.error.message);
    cached = r.value;
  }
  return cached;
}
