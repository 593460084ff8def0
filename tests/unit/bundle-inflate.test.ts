/**
 * The verification worker inflates bundles with the platform's `DecompressionStream` (native) and
 * falls back to fflate where there is none (issue 8). Both must give the same bytes and refuse the
 * same damaged, lying or bomb-like entries with the same code, memory bounded by the same caps.
 */
import { describe, expect, it } from 'vitest';
import { deflateSync, zipSync } from 'fflate';
import { isBundleEntryName } from '../../src-main/shared/bundle/format';
import { readBundleAsync } from '../../src-main/shared/bundle/read';
import { hasNativeInflate, readZip, readZipAsync, type Inflater } from '../../src-main/shared/bundle/zip';
import type { Result } from '../../src-main/shared/result';
import { concat, crc32, ctx, deflateRepeat, demoBundle, rawZip, utf8 } from './bundle-fixtures';

const MB = 1024 * 1024;
const opts = { isAllowedName: isBundleEntryName };
type Files = Result<Map<string, Uint8Array>>;

/** The verdict of the sync reader and of the async one with each inflater. */
async function readAll(b: Uint8Array): Promise<{ sync: Files; native: Files; fflate: Files }> {
  const run = (inflater: Inflater) => readZipAsync(b, { ...opts, inflater });
  return { sync: readZip(b, opts), native: await run('native'), fflate: await run('fflate') };
}

/** Every reader refuses `b`, with `code` (or one of `codes`). */
async function refusedByAll(b: Uint8Array, code: string | string[]): Promise<void> {
  const all = await readAll(b);
  for (const [how, r] of Object.entries(all)) {
    expect(r.ok, how).toBe(false);
    if (!r.ok) expect(typeof code === 'string' ? [code] : code, `${how}: ${r.error.detail}`).toContain(r.error.code);
  }
}

/** ~3 MB that compresses about 3:1: text with random runs, so it spans many slices both ways. */
function mixedBytes(): Uint8Array {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    parts.push(utf8.encode(`{"id":"r-${i}","text":"试点任务第${i}条进展说明，`));
    parts.push(Uint8Array.from({ length: 300 + Math.floor(rnd() * 400) }, () => 0x41 + Math.floor(rnd() * 26)));
    parts.push(utf8.encode('"},'));
  }
  return concat(parts);
}

const deflated = (name: string, data: Uint8Array) => ({ name, method: 8 as const, data: deflateSync(data), size: data.length, crc: crc32(data) });

describe('native and fflate inflate', { timeout: 60_000 }, () => {
  it('has a native inflater here (so the tests below exercise it)', () => {
    expect(hasNativeInflate()).toBe(true);
  });

  it('inflates a bundle and a large multi-slice entry to the same bytes', async () => {
    const big = mixedBytes();
    for (const b of [demoBundle({ units: 1, seed: 5 }), rawZip([deflated('revisions.json', big), deflated('units.json', utf8.encode('[]'))])]) {
      const { sync, native, fflate } = await readAll(b);
      expect(sync.ok && native.ok && fflate.ok).toBe(true);
      if (!sync.ok || !native.ok || !fflate.ok) return;
      expect([...native.value.keys()]).toEqual([...sync.value.keys()]);
      for (const [name, bytes] of sync.value) {
        expect(Buffer.compare(native.value.get(name)!, bytes), name).toBe(0);
        expect(Buffer.compare(fflate.value.get(name)!, bytes), name).toBe(0);
      }
    }
    const r = await readZipAsync(rawZip([deflated('revisions.json', big)]), { ...opts, inflater: 'native' });
    expect(r.ok && Buffer.compare(r.value.get('revisions.json')!, big)).toBe(0);
  });

  it('reads a bundle to the same content with either inflater', async () => {
    const b = demoBundle({ units: 2, seed: 9 });
    const native = await readBundleAsync(b, { ...ctx(), inflater: 'native' });
    const fflate = await readBundleAsync(b, { ...ctx(), inflater: 'fflate' });
    expect(native.ok).toBe(true);
    expect(native).toEqual(fflate);
  });

  it('refuses damaged deflate data, a stream cut short and data that is not deflate as corrupt', async () => {
    const big = mixedBytes();
    const e = deflated('revisions.json', big);
    const flipped = e.data.slice();
    for (let i = 1000; i < flipped.length; i += 997) flipped[i]! ^= 0x55;
    await refusedByAll(rawZip([{ ...e, data: flipped }]), 'bundle.corrupt');
    await refusedByAll(rawZip([{ ...e, data: e.data.subarray(0, Math.floor(e.data.length / 2)) }]), 'bundle.corrupt');
    await refusedByAll(rawZip([{ ...e, data: e.data.subarray(0, e.data.length - 1) }]), 'bundle.corrupt');
    // Not deflate at all.
    await refusedByAll(rawZip([{ ...e, data: utf8.encode('这不是压缩数据'.repeat(100)), size: 5000 }]), 'bundle.corrupt');
  });

  it('refuses an entry that inflates to more or fewer bytes than its header says, or with a wrong CRC', async () => {
    const big = mixedBytes();
    const e = deflated('revisions.json', big);
    await refusedByAll(rawZip([{ ...e, size: big.length - 1 }]), 'bundle.corrupt');
    await refusedByAll(rawZip([{ ...e, size: big.length + 1 }]), 'bundle.corrupt');
    await refusedByAll(rawZip([{ ...e, crc: (e.crc ^ 1) >>> 0 }]), 'bundle.corrupt');
  });

  it('stops zip bombs whose headers lie, while inflating, with bounded memory', async () => {
    const zeros = deflateRepeat(new Uint8Array(0), new Uint8Array(MB), 1024, new Uint8Array(0));
    const long = deflateRepeat(utf8.encode('[{"key":"'), new Uint8Array(MB).fill(0x61), 200, utf8.encode('"}]'));
    const before = process.memoryUsage().rss;
    // 1 GB of zeros claiming 60 MB: stopped by the ratio cap long before 60 MB.
    await refusedByAll(rawZip([{ name: 'revisions.json', method: 8, data: zeros, size: 60 * MB, crc: 0 }]), 'bundle.zip_bomb');
    // … claiming 1 KB: stopped on the first chunk of output. fflate's first chunk is over 1 MB and
    // so over the ratio (压缩炸弹); the native one is 16–64 KB and only past the size (已损坏).
    await refusedByAll(rawZip([{ name: 'attachments/' + 'a'.repeat(64), method: 8, data: zeros, size: 1024, crc: 0 }]), ['bundle.zip_bomb', 'bundle.corrupt']);
    // 200 MB string claiming 60 MB: over the ratio (≈500:1) before it is over any size.
    await refusedByAll(rawZip([{ name: 'annotations.json', method: 8, data: long, size: 60 * MB, crc: 0 }]), 'bundle.zip_bomb');
    const grew = (process.memoryUsage().rss - before) / MB;
    expect(grew, `rss grew by ${grew.toFixed(0)} MB`).toBeLessThan(300);
  });

  it('reads stored entries and an empty deflated entry alike', async () => {
    const data = utf8.encode('[]');
    const b = zipSync({ 'units.json': [data, { level: 0 }], 'evidence.json': new Uint8Array(0) });
    const { sync, native } = await readAll(b);
    expect(native).toEqual(sync);
    expect(native.ok).toBe(true);
  });
});
