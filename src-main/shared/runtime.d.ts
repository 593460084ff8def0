/**
 * The few globals src-main/shared uses beyond ES2023, typed as narrowly as the code uses them. Each
 * exists in every runtime shared code runs in: Node ≥ 20 (main process, CLI), Chromium's page and
 * its Web Worker. Only tsconfig.shared.json sees this file (lib ES2023, no DOM or Node types), so a
 * DOM- or Node-only global in shared fails the typecheck; tsconfig.json excludes it, since it has
 * the full DOM and Node declarations of the same names.
 *
 *  - TextEncoder / TextDecoder: UTF-8 of bundle entries and hashed strings.
 *  - structuredClone: deep copies of records in the merge.
 *  - URL: parsing a rich-text link to check its protocol.
 *  - atob / btoa: bytes as base64 on the harness's JSON wire.
 *  - crypto: randomUUID for record ids; the native sha-256 (subtle), reached through `globalThis`
 *    where there is one.
 *  - DecompressionStream: native raw-deflate when reading a bundle (zip.ts falls back to fflate).
 */

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare function structuredClone<T>(value: T): T;

declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly href: string;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  randomUUID(): string;
}
declare const crypto: Crypto;

interface ReadableStreamDefaultReader<R> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>;
  cancel(reason?: unknown): Promise<void>;
}
interface WritableStreamDefaultWriter<W> {
  write(chunk: W): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
declare class DecompressionStream {
  constructor(format: 'deflate' | 'deflate-raw' | 'gzip');
  readonly readable: { getReader(): ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> };
  readonly writable: { getWriter(): WritableStreamDefaultWriter<Uint8Array<ArrayBuffer>> };
}
