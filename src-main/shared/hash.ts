/**
 * Content hashes: the sha-256 that names attachments and checks bundle entries and snapshots, and
 * the canonical JSON those hashes are taken over. One module below both the bundle format and the
 * snapshot model, which both need it. `sha256Hex` is the synchronous pure-JS digest;
 * `sha256HexAsync` gives the same hex with the platform's native WebCrypto where there is one.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const utf8 = new TextEncoder();

/** Lower-case hex sha-256 of bytes (or of a string's UTF-8), computed synchronously in JS. */
export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8.encode(data) : data));
}

/** WebCrypto's SHA-256 (native), where there is one: browsers in a secure context, workers, Node ≥ 19. */
function subtleCrypto(): SubtleCrypto | null {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c?.subtle && typeof c.subtle.digest === 'function' ? c.subtle : null;
}

const HEX = Array.from({ length: 256 }, (_v, i) => i.toString(16).padStart(2, '0'));

/** The same hex as `sha256Hex`, with WebCrypto if available (native, faster on big files), else the pure-JS one. */
export async function sha256HexAsync(data: Uint8Array): Promise<string> {
  const subtle = subtleCrypto();
  if (!subtle) return sha256Hex(data);
  const d = new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  let out = '';
  for (let i = 0; i < d.length; i++) out += HEX[d[i]!];
  return out;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
