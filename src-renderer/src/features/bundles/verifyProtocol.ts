/**
 * What the verification worker and the page say to each other.
 *
 * A bundle's data is moved, never copied, once it is on the page: the page transfers the file's
 * ArrayBuffer to the worker, and the worker transfers every inflated entry back. Its records are
 * parsed once, on the page, where they are used:
 *
 *   worker: inflate with the caps, hash every entry against the manifest (read.ts steps 1–3)
 *           → post `entries`, each entry's ArrayBuffer in the transfer list; or `refused`;
 *   page:   parse the record part files and run their fast schema checks, one part between two
 *           frames, then the rest of the strict schema, corpus, references, attachment and
 *           snapshot checks (steps 4–11), with the same code, in the same order and with the same
 *           reasons as `readBundle`.
 *
 * Before, the worker parsed and checked the records and posted copies of their bytes, which the
 * page parsed again; the other way round — posting the worker's parsed records — costs a
 * structured clone whose deserialisation on the page alone is twice a parse (city bundle, 78 MB of
 * records, Node 20: parse 1.3 s, v8 deserialize 2.6 s). The untrusted ZIP is still only ever
 * inflated in the worker: a zip bomb takes down the worker, not the window.
 */
import type { BundleContent, RecordKind } from '../../../../src-main/shared/bundle/format';
import { RECORD_KINDS, parseEntryName } from '../../../../src-main/shared/bundle/format';
import { checkBundleContent, readBundleEntriesAsync, type CheckedEntries, type ReadContext } from '../../../../src-main/shared/bundle/read';
import { FAST_CHECKS, parseJsonBytes } from '../../../../src-main/shared/bundle/schema';
import { fail, type Result } from '../../../../src-main/shared/result';

export interface VerifyRequest {
  /** The bundle file; its buffer is transferred with the request. */
  bytes: Uint8Array;
}

export type VerifyMessage = { type: 'entries'; entries: CheckedEntries } | { type: 'refused'; result: Result<never> };

const internal = (detail: string) => fail('bundle.internal', '校验批注包时出错，本机数据没有任何改动。', detail);

/**
 * The buffers to transfer with `files`, one per entry. An entry that is a view of a larger buffer
 * (zip.ts gives each its own, but nothing else guarantees it) is first copied to its own, so that
 * exactly the entry moves and no buffer is listed twice (which postMessage refuses).
 */
export function transferList(files: Map<string, Uint8Array>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const [name, data] of files) {
    let d = data;
    if (!(d.buffer instanceof ArrayBuffer) || d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength || out.has(d.buffer)) {
      d = data.slice();
      files.set(name, d);
    }
    out.add(d.buffer as ArrayBuffer);
  }
  return [...out];
}

/** The worker's side: steps 1–3 on `req.bytes`, then the entries (transferred) or the refusal. */
export async function verifyForPage(req: VerifyRequest, post: (m: VerifyMessage, transfer: Transferable[]) => void): Promise<void> {
  let r: Result<CheckedEntries>;
  try {
    r = await readBundleEntriesAsync(req.bytes, {});
  } catch (err) {
    r = internal(String(err));
  }
  if (!r.ok) return post({ type: 'refused', result: r }, []);
  post({ type: 'entries', entries: r.value }, transferList(r.value.files));
}

/** Lets the page draw (a progress indicator) between two part files. */
const breathe = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Parses every record part file of `files` and runs its kind's fast checks, in the order
 * `checkBundleContent` reads them, one part per task; each part's bytes are dropped from `files`
 * once parsed (an empty array takes their place, so the names stay for the checks). Stops at the
 * first part that fails: the checks report it when they reach it — or an earlier reason, exactly
 * as `readBundle` would.
 */
async function parseParts(files: Map<string, Uint8Array>): Promise<{ parsed: Map<string, Result<unknown>>; surelyValid: Set<unknown> }> {
  const order = new Map<RecordKind, { part: number; name: string }[]>(RECORD_KINDS.map((k) => [k, []]));
  for (const name of files.keys()) {
    const n = parseEntryName(name);
    if (n?.type === 'records') order.get(n.kind)!.push({ part: n.part, name });
  }
  const parsed = new Map<string, Result<unknown>>();
  const surelyValid = new Set<unknown>();
  for (const kind of RECORD_KINDS) {
    const fast = FAST_CHECKS[kind];
    for (const { name } of order.get(kind)!.sort((a, b) => a.part - b.part)) {
      await breathe();
      const r = parseJsonBytes(files.get(name)!, name);
      parsed.set(name, r);
      files.set(name, new Uint8Array(0));
      if (!r.ok) return { parsed, surelyValid };
      if (fast && Array.isArray(r.value)) for (const x of r.value) if (fast(x)) surelyValid.add(x);
    }
  }
  return { parsed, surelyValid };
}

/** The page's side of `entries`: parse the record parts once, then steps 4–11 on them. */
export async function checkOnPage(entries: CheckedEntries, ctx: ReadContext): Promise<Result<BundleContent>> {
  const { parsed, surelyValid } = await parseParts(entries.files);
  await breathe();
  const parsePart = (data: Uint8Array, name: string) => {
    const r = parsed.get(name);
    parsed.delete(name);
    return r ?? parseJsonBytes(data, name);
  };
  return checkBundleContent(entries, ctx, { parsePart, surelyValid });
}

/**
 * The page's side: feed it the worker's message; `done` settles with the verdict, the records in
 * it. `crashed` settles it with an error if the worker dies before it has answered.
 */
export function verdictReceiver(ctx: ReadContext): { onMessage: (m: VerifyMessage) => void; crashed: (error: Result<never>) => void; done: Promise<Result<BundleContent>> } {
  let settle!: (r: Result<BundleContent>) => void;
  const done = new Promise<Result<BundleContent>>((r) => (settle = r));
  let answered = false;
  return {
    done,
    crashed: (error) => {
      if (!answered) settle(error);
    },
    onMessage: (m) => {
      if (answered) return;
      answered = true;
      if (m.type === 'refused') return settle(m.result);
      checkOnPage(m.entries, ctx).then(settle, (err: unknown) => settle(internal(`page check: ${String(err)}`)));
    },
  };
}
