/** Runs bundle verification in a Web Worker and returns its verdict. */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { readBundleAsync } from '../../../../src-main/shared/bundle/read';
import type { Result } from '../../../../src-main/shared/result';

export function verifyBundle(bytes: Uint8Array, corpus: Corpus): Promise<Result<BundleContent>> {
  const taskIds = corpus.tasks.map((t) => t.id);
  if (typeof Worker === 'undefined') {
    // Only where there are no workers (unit tests in jsdom); the app always has them.
    return readBundleAsync(bytes, { corpusHash: corpus.hash, taskIds: new Set(taskIds) });
  }
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    const done = (r: Result<BundleContent>) => {
      worker.terminate();
      resolve(r);
    };
    worker.onmessage = (e: MessageEvent<Result<BundleContent>>) => done(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      done({ ok: false, error: { code: 'bundle.worker_failed', message: '批注包无法读取（校验过程异常终止），本机数据没有任何改动。', detail: e.message } });
    };
    worker.postMessage({ bytes, corpusHash: corpus.hash, taskIds }, [bytes.buffer]);
  });
}
