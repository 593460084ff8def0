/**
 * The app reads bundles as `readBundleAsync` does (its worker's part, `readBundleEntriesAsync`:
 * WebCrypto's native sha-256) and skips the CRC-32 of every entry whose sha-256 the manifest
 * lists (issue 8). Neither may weaken what is refused: same verdicts as `readBundle`, a damaged
 * entry is still caught (by its sha-256), the manifest — which no sha-256 covers — still has its
 * CRC checked, and an entry with a wrong CRC but the exact content the exporter hashed is
 * accepted (its content is proven).
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST_NAME } from '../../src-main/shared/bundle/format';
import { readBundle, readBundleAsync } from '../../src-main/shared/bundle/read';
import { sha256Hex, sha256HexAsync } from '../../src-main/shared/hash';
import { listCentralDirectory, readZip } from '../../src-main/shared/bundle/zip';
import { ctx, demoBundle, editJson, expectRefused, tamper, type Json } from './bundle-fixtures';

const good = () => demoBundle({ units: 1, seed: 21 });

/** A copy of a zip with the CRC of entry `name` changed (central directory and local header). */
function withWrongCrc(bytes: Uint8Array, name: string): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const listed = listCentralDirectory(out);
  if (!listed.ok) throw new Error('not a zip');
  const entry = listed.value.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name}`);
  const wrong = (entry.crc ^ 0x5a5a5a5a) >>> 0;
  view.setUint32(entry.localOffset + 14, wrong, true);
  // The central directory entry of `name`: scan the directory for it.
  for (let p = out.length - 22; p >= 0; p--) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const nameLen = view.getUint16(p + 28, true);
    if (new TextDecoder().decode(out.subarray(p + 46, p + 46 + nameLen)) === name) {
      view.setUint32(p + 16, wrong, true);
      return out;
    }
  }
  throw new Error(`no central entry ${name}`);
}

describe('fast bundle verification', { timeout: 30_000 }, () => {
  it('hashes like the pure-JS sha-256', async () => {
    const data = good();
    expect(await sha256HexAsync(data)).toBe(sha256Hex(data));
    expect(await sha256HexAsync(new Uint8Array(0))).toBe(sha256Hex(new Uint8Array(0)));
  });

  it('reads a good bundle to the same content as readBundle', async () => {
    const sync = readBundle(good(), ctx());
    const async = await readBundleAsync(good(), ctx());
    expect(sync.ok && async.ok).toBe(true);
    expect(async).toEqual(sync);
  });

  it('refuses what readBundle refuses, with the same code', async () => {
    const cases: Uint8Array[] = [
      // content changed after export (manifest not updated)
      tamper(good(), { mutate: (f) => editJson(f, 'annotations.json', (rs: Json[]) => (rs[0].progress = 99)) }),
      // a consistent forgery with an unsafe key
      tamper(good(), { mutate: (f) => (f['units.json'] = new TextEncoder().encode('[{"__proto__":{"x":1}}]')), rehash: true }),
      // bytes flipped in the middle
      (() => {
        const b = good().slice();
        b[Math.floor(b.length / 2)]! ^= 0xff;
        return b;
      })(),
      good().slice(0, good().length - 100),
    ];
    for (const b of cases) {
      const sync = readBundle(b, ctx());
      const async = await readBundleAsync(b, ctx());
      expect(sync.ok).toBe(false);
      expect(async.ok).toBe(false);
      if (!sync.ok && !async.ok) expect(async.error.code).toBe(sync.error.code);
    }
  });

  it('accepts an entry whose CRC-32 is wrong but whose sha-256 matches the manifest', async () => {
    const b = withWrongCrc(good(), 'revisions.json');
    // The ZIP layer alone (checking every CRC) would call it damaged …
    const strict = readZip(b, { isAllowedName: () => true });
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.error.code).toBe('bundle.corrupt');
    // … but its content is exactly what the exporter hashed, so the bundle reads in full.
    const sync = readBundle(b, ctx());
    const async = await readBundleAsync(b, ctx());
    expect(sync.ok).toBe(true);
    expect(async).toEqual(readBundle(good(), ctx()));
  });

  it('still checks the CRC-32 of the manifest, which no sha-256 covers', async () => {
    const b = withWrongCrc(good(), MANIFEST_NAME);
    expectRefused(readBundle(b, ctx()), 'bundle.corrupt');
    expectRefused(await readBundleAsync(b, ctx()), 'bundle.corrupt');
  });

  it('catches a changed entry with a recomputed CRC by its sha-256', async () => {
    // tamper() re-zips, so the CRC is right for the changed content; the manifest's sha-256 is not.
    const b = tamper(good(), { mutate: (f) => editJson(f, 'log-entries.json', (rs: Json[]) => (rs[0].date = '2024-01-02')) });
    expectRefused(await readBundleAsync(b, ctx()), 'bundle.hash_mismatch');
  });
});
