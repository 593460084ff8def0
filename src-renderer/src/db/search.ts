/**
 * Full-text search over the task text, every annotation field and the log entries, Chinese
 * included.
 *
 * Chinese has no spaces, and a person who types 「产权」 means "the text contains 产权" — also inside
 * 知识产权. So:
 * - Indexing: text is NFKC-folded and lower-cased (full-width → half-width). Every Han character
 *   and every pair of adjacent Han characters (知识产权 → 知 识 产 权 知识 识产 产权) is a token; Latin
 *   and digit runs are lower-cased words (RCEP → rcep, 2025). Each token has a posting list: the
 *   documents that contain it, in ascending order.
 * - Querying: each space-separated term must match. A document is a candidate for a term if it has
 *   all of the term's bigrams (a one-character term: that character; a Latin word: any word that
 *   starts with it). This can only miss nothing — any text containing the term contains its
 *   bigrams — and it is a plain intersection of sorted lists, smallest first.
 * - Then every candidate of the chosen unit is checked field by field: a hit is reported for a
 *   field only if every term really occurs in that field's text (substring, case-insensitive).
 *   Bigrams can co-occur without the term (知识…识产…产权 scattered), and this check is what makes
 *   results exact. Hits are ranked by how often the terms occur relative to the field's length;
 *   snippets are cut only for the hits returned.
 *
 * Why not a scoring library (MiniSearch was used before): BM25 over every posting of a common
 * bigram, in nine fields, cost 20+ ms per query at city scale (issue #8), and the ranking it gave
 * was then replaced by the exact check anyway.
 *
 * The index is in memory and incremental: saving an annotation re-indexes that one document.
 */
import type { Annotation, LogEntry } from '../../../src-main/shared/domain';
import { plainText } from '../../../src-main/shared/richtext';
import type { Task } from '../../../src-main/shared/corpus/types';

/** Where a hit was found. `task` is the task's own text (or its id, 类别 and 领域). */
export type HitField = 'task' | 'progressNotes' | 'results' | 'problems' | 'nextSteps' | 'leadUnits' | 'partnerUnits' | 'log';

export interface Hit {
  taskId: string;
  /** null for the task text (it belongs to no unit). */
  unitCode: string | null;
  field: HitField;
  /** The field's text around the first match, at most 80 characters (with … where cut). */
  snippet: string;
  /** Higher is better; only comparable within one search. */
  score: number;
  /** For `log` hits: the entry, so the timeline can scroll to it. */
  logEntryId?: string;
}

/** Indexed fields: the hit fields, plus `taskRef` (id, 类别, 领域), reported as `task`. */
type IndexField = HitField | 'taskRef';
const FIELD_ORDER: Record<HitField, number> = {
  task: 0,
  progressNotes: 1,
  results: 2,
  problems: 3,
  nextSteps: 4,
  leadUnits: 5,
  partnerUnits: 6,
  log: 7,
};

interface FieldText {
  /** Whitespace collapsed, as shown in snippets. */
  display: string;
  /** `display` NFKC-folded and lower-cased, as matched. */
  folded: string;
}

interface StoredDoc {
  taskId: string;
  unitCode: string | null;
  logEntryId?: string;
  fields: Partial<Record<IndexField, FieldText>>;
  /** `fields` as a list, as the search loop reads it (the task's text before its id and 类别). */
  list?: { field: HitField; text: FieldText }[];
}

function fieldList(doc: StoredDoc): { field: HitField; text: FieldText }[] {
  const list: { field: HitField; text: FieldText }[] = [];
  for (const [f, text] of Object.entries(doc.fields) as [IndexField, FieldText][]) {
    if (text.folded !== '') list.push({ field: f === 'taskRef' ? 'task' : f, text });
  }
  return list;
}

/**
 * The search index. `docs` maps a document id (`taskDocId`, `annotationDocId`, `logDocId`) to its
 * field texts. Each document also has a slot number, given in the order documents are added (a
 * re-indexed document gets a new one), so posting lists stay sorted by appending.
 */
export interface SearchIndex {
  docs: Map<string, StoredDoc>;
  /** Slot → document, null once the document was replaced or removed. */
  slots: ({ id: string; doc: StoredDoc } | null)[];
  slotOf: Map<string, number>;
  /** Token → ascending slots of the documents holding it (dead slots are skipped when read). */
  postings: Map<string, number[]>;
  /** The Latin/digit tokens, for prefix matching (a small vocabulary: rcep, 2024, 5g…). */
  words: Set<string>;
  /** Slots that are null: the posting lists are rebuilt when they outnumber the live ones. */
  dead: number;
}

// ---------------------------------------------------------------------------------------------
// Text folding and tokens

/** The form text is compared in: NFKC (full-width letters, digits and punctuation → half-width), lower case. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

const HAN_RUN = /\p{Script=Han}+/gu;
/** Letters and digits that are not Han: Latin words, numbers, 5g, rcep. */
const WORD_RUN = /(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/** Adds the index tokens of an already folded text to `out` (see the module comment). */
function addTokens(folded: string, out: Set<string>, words?: Set<string>): void {
  for (const [run] of folded.matchAll(HAN_RUN)) {
    let prev = '';
    for (const ch of run) {
      out.add(ch);
      if (prev) out.add(prev + ch);
      prev = ch;
    }
  }
  for (const [word] of folded.matchAll(WORD_RUN)) {
    out.add(word);
    words?.add(word);
  }
}

/** The terms of a query: folded, split at spaces, without duplicates (at most 8, 50 characters each). */
export function queryTerms(query: string): string[] {
  const terms = fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.slice(0, 50));
  return [...new Set(terms)].slice(0, 8);
}

/**
 * What a document must hold to possibly contain `term`: per entry, one of these tokens (a Han
 * bigram or character is one token; a Latin word matches every indexed word it begins). Empty if
 * the term has no letters, digits or Han characters.
 */
function termRequirements(term: string): { han: string[]; prefixes: string[] } {
  const han: string[] = [];
  const prefixes: string[] = [];
  for (const [run] of term.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1) han.push(run);
    else for (let i = 0; i + 1 < chars.length; i++) han.push(chars[i]! + chars[i + 1]!);
  }
  for (const [word] of term.matchAll(WORD_RUN)) prefixes.push(word);
  return { han, prefixes };
}

// ---------------------------------------------------------------------------------------------
// Building and updating

const fieldText = (text: string): FieldText => {
  const display = collapse(text);
  return { display, folded: fold(display) };
};

export const taskDocId = (taskId: string): string => `task:${taskId}`;
export const annotationDocId = (key: string): string => `ann:${key}`;
export const logDocId = (id: string): string => `log:${id}`;

function emptyIndex(): SearchIndex {
  return { docs: new Map(), slots: [], slotOf: new Map(), postings: new Map(), words: new Set(), dead: 0 };
}

function post(index: SearchIndex, slot: number, doc: StoredDoc): void {
  const tokens = new Set<string>();
  for (const t of Object.values(doc.fields)) if (t) addTokens(t.folded, tokens, index.words);
  for (const token of tokens) {
    const list = index.postings.get(token);
    if (list) list.push(slot);
    else index.postings.set(token, [slot]);
  }
}

/** Drops dead slots from every posting list (after many re-indexed documents). */
function compact(index: SearchIndex): void {
  const live = index.slots.filter((s): s is { id: string; doc: StoredDoc } => s !== null);
  index.slots = [];
  index.slotOf.clear();
  index.postings.clear();
  index.words.clear();
  index.dead = 0;
  for (const s of live) {
    const slot = index.slots.push(s) - 1;
    index.slotOf.set(s.id, slot);
    post(index, slot, s.doc);
  }
}

function kill(index: SearchIndex, id: string): void {
  const old = index.slotOf.get(id);
  if (old === undefined) return;
  index.slots[old] = null;
  index.slotOf.delete(id);
  index.dead++;
}

function put(index: SearchIndex, id: string, doc: StoredDoc): void {
  kill(index, id);
  doc.list = fieldList(doc);
  const slot = index.slots.push({ id, doc }) - 1;
  index.slotOf.set(id, slot);
  index.docs.set(id, doc);
  post(index, slot, doc);
  if (index.dead > 1000 && index.dead > index.slots.length / 2) compact(index);
}

function taskDoc(task: Task): StoredDoc {
  return {
    taskId: task.id,
    unitCode: null,
    fields: { task: fieldText(task.text), taskRef: fieldText([task.id, task.group, task.domain ?? ''].join(' ')) },
  };
}

/**
 * A new index over the task list, and optionally the annotations and live log entries already
 * stored (add more later with `indexAnnotation` / `indexLogEntry`).
 */
export function createSearchIndex(
  corpus: { tasks: readonly Task[] },
  data: { annotations?: readonly Annotation[]; logEntries?: readonly LogEntry[] } = {},
): SearchIndex {
  const index = emptyIndex();
  for (const task of corpus.tasks) put(index, taskDocId(task.id), taskDoc(task));
  for (const a of data.annotations ?? []) indexAnnotation(index, a);
  for (const e of data.logEntries ?? []) indexLogEntry(index, e);
  return index;
}

/**
 * The same index built without holding the main thread: documents are added in chunks with a
 * yield in between, so input and painting go on while a city-wide data set is indexed.
 */
export async function buildSearchIndex(
  corpus: { tasks: readonly Task[] },
  data: { annotations?: readonly Annotation[]; logEntries?: readonly LogEntry[] } = {},
  options: { chunkSize?: number; signal?: AbortSignal } = {},
): Promise<SearchIndex> {
  const index = createSearchIndex(corpus);
  const chunk = Math.max(1, options.chunkSize ?? 500);
  const work: (() => void)[] = [
    ...(data.annotations ?? []).map((a) => () => indexAnnotation(index, a)),
    ...(data.logEntries ?? []).map((e) => () => indexLogEntry(index, e)),
  ];
  for (let i = 0; i < work.length; i += chunk) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    for (let k = i; k < Math.min(i + chunk, work.length); k++) work[k]!();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return index;
}

/** Adds or re-indexes one annotation (call after every save; one document is touched). */
export function indexAnnotation(index: SearchIndex, a: Annotation): void {
  put(index, annotationDocId(a.key), {
    taskId: a.taskId,
    unitCode: a.unitCode,
    fields: {
      progressNotes: fieldText(plainText(a.progressNotes)),
      results: fieldText(a.results),
      problems: fieldText(a.problems),
      nextSteps: fieldText(a.nextSteps),
      leadUnits: fieldText(a.leadUnits.join('、')),
      partnerUnits: fieldText(a.partnerUnits.join('、')),
    },
  });
}

/** Adds or re-indexes one log entry; a deleted (tombstoned) entry is removed from the index. */
export function indexLogEntry(index: SearchIndex, e: LogEntry): void {
  if (e.deleted) {
    removeDoc(index, logDocId(e.id));
    return;
  }
  put(index, logDocId(e.id), { taskId: e.taskId, unitCode: e.unitCode, logEntryId: e.id, fields: { log: fieldText(plainText(e.body)) } });
}

/** Removes a document (`annotationDocId(key)`, `logDocId(id)`, `taskDocId(id)`); unknown ids are ignored. */
export function removeDoc(index: SearchIndex, docId: string): void {
  kill(index, docId);
  index.docs.delete(docId);
}

// ---------------------------------------------------------------------------------------------
// Searching

const EMPTY_LIST: readonly number[] = [];

/** First position in `list` at or after `from` whose value is ≥ `x` (galloping, then binary search). */
function seek(list: readonly number[], from: number, x: number): number {
  let step = 1;
  let hi = from;
  while (hi < list.length && list[hi]! < x) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, list.length);
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if (list[mid]! < x) from = mid + 1;
    else hi = mid;
  }
  return from;
}

/** The values in every list (each ascending), smallest list first. */
function intersect(lists: (readonly number[])[]): readonly number[] {
  if (lists.length === 0) return EMPTY_LIST;
  lists.sort((a, b) => a.length - b.length);
  let result = lists[0]!;
  for (let k = 1; k < lists.length && result.length > 0; k++) {
    const other = lists[k]!;
    const next: number[] = [];
    let j = 0;
    for (const x of result) {
      j = seek(other, j, x);
      if (j >= other.length) break;
      if (other[j] === x) next.push(x);
    }
    result = next;
  }
  return result;
}

/** The ascending union of the posting lists of every indexed word that begins with `prefix`. */
function prefixList(index: SearchIndex, prefix: string): readonly number[] {
  const lists: number[][] = [];
  for (const w of index.words) if (w.startsWith(prefix)) lists.push(index.postings.get(w) ?? []);
  if (lists.length === 0) return EMPTY_LIST;
  if (lists.length === 1) return lists[0]!;
  const all = new Set<number>();
  for (const l of lists) for (const x of l) all.add(x);
  return [...all].sort((a, b) => a - b);
}

/** Slots of the documents that may contain every term; null if no term can be looked up. */
function candidates(index: SearchIndex, terms: readonly string[]): readonly number[] | null {
  const lists: (readonly number[])[] = [];
  for (const term of terms) {
    const { han, prefixes } = termRequirements(term);
    for (const token of han) lists.push(index.postings.get(token) ?? EMPTY_LIST);
    for (const p of prefixes) lists.push(prefixList(index, p));
  }
  if (lists.length === 0) return null;
  return intersect(lists);
}

/** How many times `term` occurs in `text` (at most `cap`). */
function occurrences(text: string, term: string, cap: number): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0 && n < cap; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

interface Match {
  doc: StoredDoc;
  field: HitField;
  text: FieldText;
  score: number;
  slot: number;
}

const byRank = (a: Match, b: Match): number => b.score - a.score || FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.slot - b.slot;

/**
 * The `k`-th largest of `values` (1-based; `values` is reordered). Quickselect: linear on average,
 * where sorting every score was n log n — the part of a common phrase's search that grew faster
 * than the data.
 */
export function kthLargest(values: Float64Array, k: number): number {
  const want = values.length - k; // its index in ascending order
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    // Median of three as the pivot, then Hoare's partition.
    const mid = (lo + hi) >>> 1;
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return values[want]!;
  }
  return values[want]!;
}

/**
 * The matches ranked, at least the best `limit` of them. A common phrase matches thousands of
 * fields: the `limit`-th best score is selected from the scores alone (numbers, no sorting), and
 * only the matches at or above it are sorted with the full order.
 */
function bestFirst(matches: Match[], limit: number): Match[] {
  if (matches.length <= limit * 2) return matches.sort(byRank);
  const threshold = kthLargest(Float64Array.from(matches, (m) => m.score), limit);
  return matches.filter((m) => m.score >= threshold).sort(byRank);
}

/**
 * Hits for a query, best first: one per (document, field) where every term of the query occurs in
 * that field. With `unitCode`, annotation and log hits are limited to that unit (task text hits
 * always count). An empty query gives no hits. At most `limit` (default 500) hits.
 */
export function searchAll(index: SearchIndex, query: string, options: { unitCode?: string | null; limit?: number } = {}): Hit[] {
  const terms = queryTerms(query);
  const slots = candidates(index, terms);
  if (!slots) return [];
  const unit = options.unitCode || null;
  const matches: Match[] = [];
  for (const slot of slots) {
    const s = index.slots[slot];
    if (!s) continue;
    const doc = s.doc;
    if (unit && doc.unitCode !== null && doc.unitCode !== unit) continue;
    let sawTask = false;
    for (const { field, text } of doc.list ?? fieldList(doc)) {
      const folded = text.folded;
      let all = true;
      for (const t of terms) {
        if (!folded.includes(t)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      if (field === 'task') {
        if (sawTask) continue; // text and ref both matched: one hit, from the text
        sawTask = true;
      }
      // Terms that occur often in a short field rank first.
      let n = 0;
      for (const t of terms) n += occurrences(folded, t, 5) * t.length;
      matches.push({ doc, field, text, score: n / Math.sqrt(folded.length + 10), slot });
    }
  }
  const limit = options.limit ?? 500;
  const best = bestFirst(matches, limit);
  const out: Hit[] = [];
  for (let i = 0; i < best.length && i < limit; i++) {
    const m = best[i]!;
    out.push({
      taskId: m.doc.taskId,
      unitCode: m.doc.unitCode,
      field: m.field,
      snippet: snippet(m.text, terms[0]!),
      score: m.score,
      ...(m.doc.logEntryId ? { logEntryId: m.doc.logEntryId } : {}),
    });
  }
  return out;
}

/** Ids of the tasks with at least one hit, in hit order. */
export function hitTaskIds(hits: readonly Hit[]): string[] {
  return [...new Set(hits.map((h) => h.taskId))];
}

/** `text` folded character by character, with the index in `text` of each folded character. */
function foldWithMap(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) map.push(i);
    folded += f;
    i += ch.length;
  }
  return { folded, map };
}

const SNIPPET_MAX = 80;
const SNIPPET_BEFORE = 20;

/** Up to 80 characters of the field's text around the first occurrence of `term` (a folded term). */
function snippet(text: FieldText, term: string): string {
  const display = text.display;
  if (display.length <= SNIPPET_MAX) return display;
  let at = text.folded.length === display.length ? text.folded.indexOf(term) : -1;
  if (at < 0) {
    const { folded, map } = foldWithMap(display);
    const j = folded.indexOf(term);
    at = j >= 0 ? map[j]! : 0;
  }
  let start = Math.max(0, at - SNIPPET_BEFORE);
  const end = Math.min(display.length, start + SNIPPET_MAX);
  start = Math.max(0, end - SNIPPET_MAX);
  let s = display.slice(start, end);
  if (start > 0) s = `…${s.slice(1)}`;
  if (end < display.length) s = `${s.slice(0, -1)}…`;
  return s;
}

/** `text` split into parts with every occurrence of the query's terms marked, for highlighting. */
export function highlight(text: string, query: string): { text: string; hit: boolean }[] {
  const terms = queryTerms(query);
  if (terms.length === 0 || text === '') return [{ text, hit: false }];
  const { folded, map } = foldWithMap(text);
  const marks = new Array<boolean>(text.length).fill(false);
  for (const term of terms) {
    for (let j = folded.indexOf(term); j >= 0; j = folded.indexOf(term, j + term.length)) {
      const from = map[j]!;
      const last = map[j + term.length - 1]!;
      const to = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
      for (let k = from; k < to; k++) marks[k] = true;
    }
  }
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts[parts.length - 1];
    if (last && last.hit === marks[i]) last.text += text[i];
    else parts.push({ text: text[i]!, hit: marks[i]! });
  }
  return parts;
}
