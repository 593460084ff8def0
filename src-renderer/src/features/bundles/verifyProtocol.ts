/**
 * What the verification worker and the page say to each other (issue 8).
 *
 * Posting a verified city bundle's records back from the worker as objects costs a structured clone
 * of ~80 MB of them: ~3 s in Chromium, on the page's thread. Parsing the same JSON again costs less,
 * and can run while the worker is still checking. So, for a bundle of the current format version:
 *
 *   worker: inflate, hash every entry against the manifest
 *           → post `parts` (copies of the record files' bytes, transferred)
 *           → parse and check everything → post `result`, without the records if it passed;
 *   page:   on `parts`, parse them (part by part, yielding between parts) while the worker checks;
 *           on `result`, refused → drop the parse; passed → the worker's verdict with the page's records.
 *
 * The records are the same: the worker's checked records are `JSON.parse` of exactly these bytes
 * (`ReadContext.onRecordBytes` is only called when nothing will be migrated, and the record checks
 * return the parsed objects themselves). An older bundle is migrated in the worker and its records
 * are posted back as before. Nothing the page parses is used unless the worker's verdict is `ok`.
 */
import type { BundleContent, BundleRecords, RecordKind } from '../../../../src-main/shared/bundle/format';
import { RECORD_KINDS } from '../../../../src-main/shared/bundle/format';
import { readBundleAsync } from '../../../../src-main/shared/bundle/read';
import { parseJsonBytes } from '../../../../src-main/shared/bundle/schema';
import { fail, ok, type Result } from '../../../../src-main/shared/result';

export interface VerifyRequest {
  bytes: Uint8Array;
  corpusHash: string;
  taskIds: string[];
}

/** The verdict without the records (they came as `parts`). */
export type VerdictWithoutRecords = Omit<BundleContent, RecordKind>;

export type VerifyMessage =
  | { type: 'parts'; parts: Record<RecordKind, Uint8Array[]> }
  | { type: 'result'; recordsInParts: false; result: Result<BundleContent> }
  | { type: 'result'; recordsInParts: true; result: Result<VerdictWithoutRecords> };

const internal = (detail: string) => fail('bundle.internal', '校验批注包时出错，本机数据没有任何改动。', detail);

/** The worker's side: verifies `req` and posts what the page needs (see the module comment). */
export async function verifyForPage(req: VerifyRequest, post: (m: VerifyMessage, transfer: Transferable[]) => void): Promise<void> {
  let handedOver = false;
  let result: Result<BundleContent>;
  try {
    result = await readBundleAsync(req.bytes, {
      corpusHash: req.corpusHash,
      taskIds: new Set(req.taskIds),
      onRecordBytes: (parts) => {
        // Copies: the reader parses its own bytes after this; the copies' buffers are transferred.
        const copies = {} as Record<RecordKind, Uint8Array[]>;
        const transfer: ArrayBuffer[] = [];
        for (const kind of RECORD_KINDS) {
          copies[kind] = parts[kind].map((b) => {
            const c = b.slice();
            transfer.push(c.buffer);
            return c;
          });
        }
        post({ type: 'parts', parts: copies }, transfer);
        handedOver = true;
      },
    });
  } catch (err) {
    result = internal(String(err));
  }
  if (handedOver && result.ok) {
    const { units: _u, annotations: _a, revisions: _r, logEntries: _l, evidence: _e, ...rest } = result.value;
    post({ type: 'result', recordsInParts: true, result: ok(rest) }, []);
  } else {
    post({ type: 'result', recordsInParts: false, result }, []);
  }
}

/** Lets the page draw (a progress indicator) between two part files. */
const breathe = () => new Promise<void>((r) => setTimeout(r, 0));

/** Parses the record files, in order, into lists; stops early once `stop()` says so. */
async function parseParts(parts: Record<RecordKind, Uint8Array[]>, stop: () => boolean): Promise<Result<BundleRecords>> {
  const out = {} as Record<RecordKind, unknown[]>;
  for (const kind of RECORD_KINDS) {
    const list: unknown[] = [];
    for (let i = 0; i < parts[kind].length; i++) {
      await breathe();
      if (stop()) return internal('parse stopped');
      const j = parseJsonBytes(parts[kind][i]!, `${kind}#${i + 1}`);
      parts[kind][i] = new Uint8Array(0); // the bytes are not kept
      if (!j.ok) return j;
      if (!Array.isArray(j.value)) return internal(`${kind} part ${i + 1} is not an array`);
      for (const r of j.value) list.push(r);
    }
    out[kind] = list;
  }
  return ok(out as unknown as BundleRecords);
}

/**
 * The page's side: feed it the worker's messages in order; `done` settles with the verdict, with
 * the records in it. `crashed` settles it with an error if the worker dies.
 */
export function verdictReceiver(): { onMessage: (m: VerifyMessage) => void; crashed: (error: Result<never>) => void; done: Promise<Result<BundleContent>> } {
  let settle!: (r: Result<BundleContent>) => void;
  const done = new Promise<Result<BundleContent>>((r) => (settle = r));
  let parsing: Promise<Result<BundleRecords>> | null = null;
  let stopped = false;
  const finish = (r: Result<BundleContent>) => {
    stopped = true;
    settle(r);
  };
  return {
    done,
    crashed: (error) => finish(error),
    onMessage: (m) => {
      if (m.type === 'parts') {
        parsing = parseParts(m.parts, () => stopped);
        return;
      }
      if (!m.result.ok || !m.recordsInParts) return finish(m.result as Result<BundleContent>);
      const verdict = m.result.value;
      if (!parsing) return finish(internal('verdict without records'));
      void parsing.then(
        (records) => finish(records.ok ? ok({ ...verdict, ...records.value }) : internal(`page parse: ${records.error.detail ?? records.error.code}`)),
        (err: unknown) => finish(internal(`page parse: ${String(err)}`)),
      );
    },
  };
}
