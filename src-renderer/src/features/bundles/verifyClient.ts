/** Runs bundle verification in a Web Worker and returns its verdict (protocol: verifyProtocol.ts). */
import type { Corpus } from '../../../../src-main/shared/corpus/types';
import type { BundleContent } from '../../../../src-main/shared/bundle/format';
import { readBundleAsync, type ReadContext } from '../../../../src-main/shared/bundle/read';
import { fail, type Result } from '../../../../src-main/shared/result';
import { verdictReceiver, type VerifyMessage, type VerifyRequest } from './verifyProtocol';

/** Verifies `bytes`; where there is a worker, their buffer is transferred to it (`bytes` is then empty). */
export function verifyBundle(bytes: Uint8Array, corpus: Corpus): Promise<Result<BundleContent>> {
  const ctx: ReadContext = { corpusHash: corpus.hash, taskIds: new Set(corpus.tasks.map((t) => t.id)) };
  if (typeof Worker === 'undefined') {
    // Only where there are no workers (unit tests in jsdom); the app always has them.
    return readBundleAsync(bytes, ctx);
  }
  const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  const receiver = verdictReceiver(ctx);
  worker.onmessage = (e: MessageEvent<VerifyMessage>) => {
    // One message is all it sends; the rest of the checks run here.
    worker.terminate();
    receiver.onMessage(e.data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    receiver.crashed(fail('bundle.worker_failed', '批注包无法读取（校验过程异常终止），本机数据没有任何改动。', e.message));
  };
  const request: VerifyRequest = { bytes };
  worker.postMessage(request, [bytes.buffer]);
  return receiver.done.finally(() => worker.terminate());
}
