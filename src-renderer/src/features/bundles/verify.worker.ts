/// <reference lib="webworker" />
/**
 * Verifies an untrusted bundle off the main thread: inflating with caps, schema checks, hashes and
 * corpus checks all happen here, with the same pure code the CLI uses. The page stays responsive
 * and a zip bomb can at worst take this worker down, not the window. What it posts back:
 * verifyProtocol.ts.
 */
import { verifyForPage, type VerifyRequest } from './verifyProtocol';

self.onmessage = (e: MessageEvent<VerifyRequest>) => {
  void verifyForPage(e.data, (m, transfer) => (self as unknown as Worker).postMessage(m, transfer));
};
