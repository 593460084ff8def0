/** Runs bundle verification in a Web Worker and returns its verdict (protocol: verifyProtocol.ts). */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { readBundleAsync } from '../../../../src-main/shared/bundle/read';
import { fail, type Result } from '../../../../src-main/shared/result';
import { verdictReceiver, type VerifyMessage, type VerifyRequest } from './verifyProtocol';

export function verifyBundle(bytes: Uint8Array, corpus: Corpus): Promise<Result<BundleContent>> {
  const taskIds = corpus.tasks.map((t) => t.id);
  if (typeof Worker === 'undefined') {
    // Only where there are no workers (unit tests in jsdom); the app always has them.
    return readBundleAsync(bytes, { corpusHash: corpus.hash, taskIds: new Set(taskIds) });
  }
  const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  const receiver = verdictReceiver();
  worker.onmessage = (e: MessageEvent<VerifyMessage>) => receiver.onMessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    receiver.crashed(fail('bundle.worker_failed', '批注包无法读取（校验过程异常终止），本机数据没有任何改动。', e.message));
  };
  const request: VerifyRequest = { bytes, corpusHash: corpus.hash, taskIds };
  worker.postMessage(request, [bytes.buffer]);
  return receiver.done.finally(() => worker.terminate());
}
