/**
 * The verification worker hands the page the record files' bytes to parse while it checks them,
 * instead of posting back every parsed record (issue 8: a structured clone of a city's records
 * costs more than parsing them again). What a person relies on: the page ends with exactly the
 * content `readBundle` returns — for a bundle in several parts, for an older bundle that is
 * migrated in the worker — and a bundle the worker refuses is refused with the same reason, even
 * though the page had already started parsing its records.
 *
 * Messages go through `structuredClone` with their transfer lists, as `postMessage` does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import type { BundleContent } from '../../src-main/shared/bundle/format';
import type { Result } from '../../src-main/shared/result';
import { verdictReceiver, verifyForPage, type VerifyMessage } from '../../src-renderer/src/features/bundles/verifyProtocol';
import { corpus, ctx, demoBundle, editJson, tamper, type Json } from './bundle-fixtures';

/** Runs the worker's side and the page's side against each other; returns the verdict and the messages. */
async function roundTrip(bytes: Uint8Array): Promise<{ result: Result<BundleContent>; sent: VerifyMessage[] }> {
  const c = corpus();
  const receiver = verdictReceiver();
  const sent: VerifyMessage[] = [];
  const request = structuredClone({ bytes: bytes.slice(), corpusHash: c.hash, taskIds: c.tasks.map((t) => t.id) });
  await verifyForPage(request, (m, transfer) => {
    sent.push(m);
    receiver.onMessage(structuredClone(m, { transfer }));
  });
  return { result: await receiver.done, sent };
}

describe('verification worker ↔ page', { timeout: 60_000 }, () => {
  it('a bundle in several parts: the page parses the parts and ends with what readBundle returns', async () => {
    const bytes = writeBundle(makeDemoData({ units: 3, seed: 5, corpus: corpus() }), { partBytes: 64 * 1024 });
    const want = readBundle(bytes, ctx());
    expect(want.ok).toBe(true);
    const { result, sent } = await roundTrip(bytes);
    expect(result).toEqual(want);
    // The records crossed as bytes, several revision parts of them, and not again in the verdict.
    const parts = sent.find((m) => m.type === 'parts');
    expect(parts && parts.type === 'parts' && parts.parts.revisions.length).toBeGreaterThan(1);
    const verdict = sent.find((m) => m.type === 'result')!;
    expect(verdict.type === 'result' && verdict.recordsInParts).toBe(true);
    expect(verdict.type === 'result' && verdict.result.ok && 'revisions' in verdict.result.value).toBe(false);
  });

  it('an older bundle is migrated in the worker and its records come back with the verdict', async () => {
    const v1 = new Uint8Array(readFileSync(new URL('../fixtures/bundles/v1-demo.pilotbundle', import.meta.url)));
    const want = readBundle(v1, ctx());
    expect(want.ok && want.value.manifest.formatVersion).toBe(2);
    const { result, sent } = await roundTrip(v1);
    expect(result).toEqual(want);
    expect(sent.map((m) => m.type)).toEqual(['result']);
  });

  it('a bundle refused after its parts were handed over is refused with the same reason', async () => {
    // Consistent hashes, so the parts are handed over; then a record fails the schema.
    const bad = tamper(demoBundle({ units: 1, seed: 21 }), {
      mutate: (f) => editJson(f, 'revisions.json', (rs: Json[]) => (rs[3].fields.progress = 'lots')),
      rehash: true,
    });
    const want = readBundle(bad, ctx());
    expect(want.ok).toBe(false);
    const { result, sent } = await roundTrip(bad);
    expect(sent.map((m) => m.type)).toEqual(['parts', 'result']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe(!want.ok && want.error.code);
    expect(!result.ok && result.error.message).toBe(!want.ok && want.error.message);
  });

  it('a bundle whose content does not match its manifest is refused before anything is handed over', async () => {
    const bad = tamper(demoBundle({ units: 1, seed: 21 }), { mutate: (f) => editJson(f, 'annotations.json', (rs: Json[]) => (rs[0].progress = 99)) });
    const { result, sent } = await roundTrip(bad);
    expect(sent.map((m) => m.type)).toEqual(['result']);
    expect(!result.ok && result.error.code).toBe('bundle.hash_mismatch');
  });

  it('a worker that dies settles the verdict with a clear error', async () => {
    const receiver = verdictReceiver();
    receiver.onMessage({ type: 'parts', parts: { units: [], annotations: [], revisions: [], logEntries: [], evidence: [] } });
    receiver.crashed({ ok: false, error: { code: 'bundle.worker_failed', message: '批注包无法读取（校验过程异常终止），本机数据没有任何改动。' } });
    const r = await receiver.done;
    expect(!r.ok && r.error.code).toBe('bundle.worker_failed');
  });
});
