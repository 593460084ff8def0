/// <reference lib="webworker" />
/**
 * Verifies an untrusted bundle off the main thread: inflating with caps, schema checks, hashes and
 * corpus checks all happen here, with the same pure code the CLI uses. The page stays responsive
 * and a zip bomb can at worst take this worker down, not the window.
 */
import { readBundleAsync } from '../../../../src-main/shared/bundle/read';

export interface VerifyRequest {
  bytes: Uint8Array;
  corpusHash: string;
  taskIds: string[];
}

self.onmessage = async (e: MessageEvent<VerifyRequest>) => {
  const { bytes, corpusHash, taskIds } = e.data;
  let result;
  try {
    result = await readBundleAsync(bytes, { corpusHash, taskIds: new Set(taskIds) });
  } catch (err) {
    result = { ok: false, error: { code: 'bundle.internal', message: '校验批注包时出错，本机数据没有任何改动。', detail: String(err) } };
  }
  (self as unknown as Worker).postMessage(result);
};
