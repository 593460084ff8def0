/**
 * The verification worker inflates and hashes a bundle and hands the page every entry — moved in
 * a transfer list, not copied; the page parses the records once and runs the remaining checks.
 * What a person relies on: the page ends with exactly the content `readBundle` returns — for a
 * bundle in several parts, for an older bundle that is migrated — and a bad bundle is refused with
 * the same reason as `readBundle` gives, whether the worker or the page finds the fault.
 *
 * Messages go through `structuredClone` with their transfer lists, as `postMessage` does.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { readBundle } from '../../src-main/shared/bundle/read';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { FORMAT_VERSION, type BundleContent } from '../../src-main/shared/bundle/format';
import type { Result } from '../../src-main/shared/result';
import { verifyBundle } from '../../src-renderer/src/features/bundles/verifyClient';
import { transferList, verdictReceiver, verifyForPage, type VerifyMessage, type VerifyRequest } from '../../src-renderer/src/features/bundles/verifyProtocol';
import { corpus, ctx, demoBundle, editJson, tamper, text, type Json } from './bundle-fixtures';

interface Sent {
  message: VerifyMessage;
  transfer: Transferable[];
  /** The entries' buffers as the worker held them, for checking they moved. */
  workerBuffers: ArrayBuffer[];
}

/** Runs the worker's side and the page's side against each other; returns the verdict and what was posted. */
async function roundTrip(bytes: Uint8Array): Promise<{ result: Result<BundleContent>; sent: Sent[] }> {
  const receiver = verdictReceiver(ctx());
  const sent: Sent[] = [];
  const request = structuredClone({ bytes: bytes.slice() });
  await verifyForPage(request, (m, transfer) => {
    const workerBuffers = m.type === 'entries' ? [...m.entries.files.values()].map((b) => b.buffer as ArrayBuffer) : [];
    sent.push({ message: m, transfer, workerBuffers });
    receiver.onMessage(structuredClone(m, { transfer }));
  });
  return { result: await receiver.done, sent };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('verification worker ↔ page', { timeout: 60_000 }, () => {
  it('a bundle in several parts: the page ends with what readBundle returns', async () => {
    const bytes = writeBundle(makeDemoData({ units: 3, seed: 5, corpus: corpus() }), { partBytes: 64 * 1024 });
    const want = readBundle(bytes, ctx());
    expect(want.ok).toBe(true);
    const { result, sent } = await roundTrip(bytes);
    expect(result).toEqual(want);
    expect(sent.map((s) => s.message.type)).toEqual(['entries']);
    const names = sent[0]!.message.type === 'entries' ? [...sent[0]!.message.entries.files.keys()] : [];
    expect(names.filter((n) => n.startsWith('revisions.')).length).toBeGreaterThan(1);
  });

  it('every entry crosses in the transfer list: moved to the page, not copied', async () => {
    const bytes = demoBundle({ units: 2, seed: 9 });
    const { result, sent } = await roundTrip(bytes);
    expect(result.ok).toBe(true);
    const [{ message, transfer, workerBuffers }] = sent as [Sent];
    expect(message.type).toBe('entries');
    const entryCount = Object.keys(unzipSync(bytes)).length;
    expect(workerBuffers.length).toBe(entryCount);
    expect(new Set(transfer)).toEqual(new Set(workerBuffers));
    expect(transfer.length).toBe(entryCount);
    // Transferred buffers are detached where they came from: the worker kept no copy.
    expect(workerBuffers.every((b) => b.byteLength === 0)).toBe(true);
    // The attachments the page ends with are the bytes that crossed, whole.
    if (!result.ok) return;
    expect(result.value.attachments.size).toBeGreaterThan(0);
    const want = readBundle(bytes, ctx());
    expect(want.ok && [...want.value.attachments]).toEqual([...result.value.attachments]);
  });

  it('an entry that is a view of a larger buffer moves as just its bytes, and no buffer is listed twice', () => {
    const shared = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const own = new Uint8Array([7, 8]);
    const files = new Map([
      ['a', shared.subarray(0, 3)],
      ['b', shared.subarray(3)],
      ['c', own],
    ]);
    const transfer = transferList(files);
    expect(transfer).toHaveLength(3);
    expect(transfer).toContain(own.buffer);
    expect(transfer).not.toContain(shared.buffer);
    const moved = structuredClone(files, { transfer });
    expect([...moved].map(([n, b]) => [n, [...b]])).toEqual([
      ['a', [1, 2, 3]],
      ['b', [4, 5, 6]],
      ['c', [7, 8]],
    ]);
  });

  it('parses every JSON entry once, worker and page together', async () => {
    const bytes = writeBundle(makeDemoData({ units: 2, seed: 11, corpus: corpus() }), { partBytes: 64 * 1024 });
    const jsonTexts = Object.entries(unzipSync(bytes))
      .filter(([n]) => n.endsWith('.json'))
      .map(([, b]) => text(b));
    const parse = vi.spyOn(JSON, 'parse');
    const { result } = await roundTrip(bytes);
    expect(result.ok).toBe(true);
    const parsedTexts = parse.mock.calls.map((c) => c[0]).filter((t) => jsonTexts.includes(t));
    // Each entry's text once (two entries may have the same text, e.g. empty lists).
    expect(parsedTexts.sort()).toEqual(jsonTexts.sort());
  });

  it('an older bundle is migrated and ends with what readBundle returns', async () => {
    const v1 = new Uint8Array(readFileSync(new URL('../fixtures/bundles/v1-demo.pilotbundle', import.meta.url)));
    const want = readBundle(v1, ctx());
    expect(want.ok && want.value.manifest.formatVersion).toBe(FORMAT_VERSION);
    const { result } = await roundTrip(v1);
    expect(result).toEqual(want);
  });

  it('a bundle refused by the page’s checks is refused with the same reason as readBundle gives', async () => {
    // Consistent hashes, so the worker hands the entries over; then a record fails the schema.
    const bad = tamper(demoBundle({ units: 1, seed: 21 }), {
      mutate: (f) => editJson(f, 'revisions.json', (rs: Json[]) => (rs[3].fields.progress = 'lots')),
      rehash: true,
    });
    const want = readBundle(bad, ctx());
    expect(want.ok).toBe(false);
    const { result, sent } = await roundTrip(bad);
    expect(sent.map((s) => s.message.type)).toEqual(['entries']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe(!want.ok && want.error.code);
    expect(!result.ok && result.error.message).toBe(!want.ok && want.error.message);
  });

  it('a part that is not JSON is refused with readBundle’s reason, even though the page parsed it ahead of the checks', async () => {
    const bad = tamper(demoBundle({ units: 1, seed: 23 }), {
      mutate: (f) => (f['log-entries.json'] = new TextEncoder().encode('[{"id": ')),
      rehash: true,
    });
    const want = readBundle(bad, ctx());
    expect(!want.ok && want.error.code).toBe('bundle.invalid_json');
    const { result } = await roundTrip(bad);
    expect(result).toEqual(want);
  });

  it('a bundle whose content does not match its manifest is refused before anything is handed over', async () => {
    const bad = tamper(demoBundle({ units: 1, seed: 21 }), { mutate: (f) => editJson(f, 'annotations.json', (rs: Json[]) => (rs[0].progress = 99)) });
    const { result, sent } = await roundTrip(bad);
    expect(sent.map((s) => s.message.type)).toEqual(['refused']);
    expect(!result.ok && result.error.code).toBe('bundle.hash_mismatch');
  });

  it('a worker that dies settles the verdict with a clear error', async () => {
    const receiver = verdictReceiver(ctx());
    receiver.crashed({ ok: false, error: { code: 'bundle.worker_failed', message: '批注包无法读取（校验过程异常终止），本机数据没有任何改动。' } });
    const r = await receiver.done;
    expect(!r.ok && r.error.code).toBe('bundle.worker_failed');
  });

  it('the page transfers the file to the worker: its buffer is in the request’s transfer list', async () => {
    const posted: { message: VerifyRequest; transfer: Transferable[] }[] = [];
    /** A worker in this thread: records what the page posts, answers as the real one does. */
    class FakeWorker {
      onmessage: ((e: { data: VerifyMessage }) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      postMessage(message: VerifyRequest, transfer: Transferable[]) {
        posted.push({ message, transfer });
        const request = structuredClone(message, { transfer });
        void verifyForPage(request, (m, t) => this.onmessage?.({ data: structuredClone(m, { transfer: t }) }));
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', FakeWorker);
    const bytes = demoBundle({ units: 1, seed: 27 }).slice();
    const buffer = bytes.buffer;
    const want = readBundle(bytes, ctx());
    const result = await verifyBundle(bytes, corpus());
    expect(result).toEqual(want);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.transfer).toEqual([buffer]);
    expect(buffer.byteLength).toBe(0);
  });
});
