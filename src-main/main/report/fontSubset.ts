/**
 * A CJK font cut down to the characters the report's charts use, for resvg.
 *
 * resvg-js 2.6 reads its font file again for every label it lays out: with the 19.5 MB Noto CJK
 * collection that was 20–80 ms and a 19.5 MB read per label, ~150 labels a city report — most of the
 * report's time and system time (BENCHMARKS.md, docx). The charts use a few hundred characters; the
 * same face cut down to those is a few tens of KB, handed to resvg as a buffer. HarfBuzz's own
 * subsetter does the cutting (`harfbuzzjs`, WebAssembly, no native code).
 *
 * The font is a file on this machine (the system's CJK font, or PILOT_DESK_CJK_FONT), still read
 * defensively: anything unexpected throws, and the caller falls back to the whole file.
 */
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const HB_MEMORY_MODE_WRITABLE = 2;
/** Larger than any CJK font collection in use (Noto CJK 20 MB, 微软雅黑 ~20 MB, SimSun ~18 MB). */
const MAX_FONT_BYTES = 64 * 1024 * 1024;

/** The family names (name IDs 1 and 16, Windows platform) of each face in a font file or collection. */
export function fontFamilies(font: Uint8Array): string[][] {
  const dv = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const u16 = (o: number) => {
    if (o < 0 || o + 2 > font.byteLength) throw new Error('font file truncated');
    return dv.getUint16(o);
  };
  const u32 = (o: number) => {
    if (o < 0 || o + 4 > font.byteLength) throw new Error('font file truncated');
    return dv.getUint32(o);
  };
  const tag = (o: number) => String.fromCharCode(...font.subarray(o, o + 4));
  const isCollection = tag(0) === 'ttcf';
  const faceCount = isCollection ? u32(8) : 1;
  if (faceCount < 1 || faceCount > 256) throw new Error('not a font file');
  const offsets = isCollection ? Array.from({ length: faceCount }, (_, i) => u32(12 + 4 * i)) : [0];
  return offsets.map((base) => {
    const version = u32(base);
    if (version !== 0x00010000 && tag(base) !== 'OTTO' && tag(base) !== 'true') throw new Error('not a font file');
    const tables = u16(base + 4);
    let name = -1;
    for (let i = 0; i < tables; i++) if (tag(base + 12 + 16 * i) === 'name') name = u32(base + 12 + 16 * i + 8);
    if (name < 0) return [];
    const count = u16(name + 2);
    const strings = name + u16(name + 4);
    const families = new Set<string>();
    for (let i = 0; i < count; i++) {
      const r = name + 6 + 12 * i;
      const nameId = u16(r + 6);
      if (u16(r) !== 3 || (nameId !== 1 && nameId !== 16)) continue;
      const length = u16(r + 8);
      const at = strings + u16(r + 10);
      let s = '';
      for (let k = 0; k + 1 < length; k += 2) s += String.fromCharCode(u16(at + k));
      families.add(s);
    }
    return [...families];
  });
}

interface HarfBuzzSubset {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_or_fail(face: number, input: number): number;
  _initialize(): void;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/**
 * A fresh HarfBuzz instance per subset: its memory grows to hold the whole font and a WebAssembly
 * memory never shrinks, so it is not kept between reports (instantiating the compiled module is
 * a few ms).
 */
async function harfbuzz(): Promise<HarfBuzzSubset> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'))
    .then((b) => WebAssembly.compile(b))
    .catch((e: unknown) => {
      compiled = null; // the next report tries again (this one draws with the whole font)
      throw e;
    });
  const instance = await WebAssembly.instantiate(await compiled, {});
  const hb = instance.exports as unknown as HarfBuzzSubset;
  hb._initialize();
  return hb;
}

/**
 * The face of the font file at `path` named `family` (or the first face), cut down to `text`'s
 * characters (names kept), with the family name it goes by. The file is read straight into
 * HarfBuzz's memory (no second 20 MB copy). Throws if it cannot be read or cut.
 */
export async function subsetFontFile(path: string, family: string, text: string): Promise<{ font: Uint8Array; family: string }> {
  const hb = await harfbuzz();
  const file = await open(path, 'r');
  let ptr = 0;
  let face = 0;
  let input = 0;
  let subset = 0;
  try {
    const size = (await file.stat()).size;
    if (size < 12 || size > MAX_FONT_BYTES) throw new Error('not a font file of a plausible size');
    ptr = hb.malloc(size);
    if (!ptr) throw new Error('out of memory for the font');
    // Nothing else runs in this instance while the file is read, so its memory does not move.
    const { bytesRead } = await file.read(new Uint8Array(hb.memory.buffer, ptr, size), 0, size, 0);
    if (bytesRead !== size) throw new Error('font file changed while being read');
    const families = fontFamilies(new Uint8Array(hb.memory.buffer, ptr, size));
    const index = Math.max(0, family ? families.findIndex((f) => f.includes(family)) : 0);
    const blob = hb.hb_blob_create(ptr, size, HB_MEMORY_MODE_WRITABLE, 0, 0);
    face = hb.hb_face_create(blob, index);
    hb.hb_blob_destroy(blob);
    input = hb.hb_subset_input_create_or_fail();
    if (!input) throw new Error('harfbuzz: no subset input');
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const ch of new Set(text)) hb.hb_set_add(unicodes, ch.codePointAt(0)!);
    subset = hb.hb_subset_or_fail(face, input);
    if (!subset) throw new Error('harfbuzz could not cut the font');
    const out = hb.hb_face_reference_blob(subset);
    const at = hb.hb_blob_get_data(out, 0);
    const length = hb.hb_blob_get_length(out);
    // Copied out: views into the instance's memory go with it.
    const font = new Uint8Array(hb.memory.buffer).slice(at, at + length);
    hb.hb_blob_destroy(out);
    if (length === 0) throw new Error('harfbuzz returned an empty font');
    return { font, family: family || families[index]?.[0] || '' };
  } finally {
    await file.close();
    if (input) hb.hb_subset_input_destroy(input);
    if (subset) hb.hb_face_destroy(subset);
    if (face) hb.hb_face_destroy(face);
    if (ptr) hb.free(ptr);
  }
}
