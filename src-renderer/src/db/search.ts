/**
 * Full-text search over the task text, every annotation field and the log entries, Chinese
 * included.
 *
 * Chinese has no spaces, and a person who types 「产权」 means "the text contains 产权" — also inside
 * 知识产权. So:
 * - Indexing: CJK runs become character bigrams (知识产权 → 知识 识产 产权) plus the run's last
 *   character (so a one-character query can be answered by a prefix lookup), plus the words of three
 *   or more characters that `Intl.Segmenter('zh')` finds (产业链供应链…). Latin and digit runs become
 *   lower-cased words (RCEP → rcep, 2025). Text is NFKC-folded first (full-width → half-width).
 * - Querying: each space-separated term must match. A term matches a document that has all its
 *   bigrams (this can only miss nothing: any text containing the term contains its bigrams), or —
 *   for ranking — all of its Segmenter words, so documents where the term is a whole word score
 *   higher. One-character terms and Latin words match as prefixes. No fuzzy matching.
 * - Then every candidate is checked field by field: a hit is reported for a field only if every
 *   term really occurs in that field's text (substring, case-insensitive). Bigrams can co-occur
 *   without the term (知识…识产…产权 scattered), and this check is what makes results exact.
 *
 * The index is in memory and incremental: saving an annotation re-indexes that one document.
 */
import MiniSearch, { type Query } from 'minisearch';
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
const INDEX_FIELDS: IndexField[] = ['task', 'taskRef', 'progressNotes', 'results', 'problems', 'nextSteps', 'leadUnits', 'partnerUnits', 'log'];
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
}

type MiniDoc = { id: string } & Partial<Record<IndexField, string>>;

/** The search index: MiniSearch for candidates, plus each document's field texts for the exact check. */
export interface SearchIndex {
  mini: MiniSearch<MiniDoc>;
  docs: Map<string, StoredDoc>;
}

// ---------------------------------------------------------------------------------------------
// Text folding and tokens

/** The form text is compared in: NFKC (full-width letters, digits and punctuation → half-width), lower case. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

const HAN_RUN = /\p{Script=Han}+/gu;
const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Letters and digits that are not Han: Latin words, numbers, 5g, rcep. */
const WORD_RUN = /(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

const segmenter: Intl.Segmenter | null =
  typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;

/** Han words of 3+ characters that the Segmenter finds (2-character words are already bigrams). */
function longWords(folded: string): string[] {
  if (!segmenter) return [];
  const out: string[] = [];
  for (const s of segmenter.segment(folded)) {
    if (s.isWordLike && s.segment.length >= 3 && HAN_ONLY.test(s.segment)) out.push(s.segment);
  }
  return out;
}

/** Index tokens of a text (see the module comment). */
export function tokenize(text: string): string[] {
  const t = fold(text);
  const out: string[] = [];
  for (const [run] of t.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    out.push(chars[chars.length - 1]!);
  }
  for (const [word] of t.matchAll(WORD_RUN)) out.push(word);
  out.push(...longWords(t));
  return out;
}

/** The terms of a query: folded, split at spaces, without duplicates (at most 8, 50 characters each). */
export function queryTerms(query: string): string[] {
  const terms = fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.slice(0, 50));
  return [...new Set(terms)].slice(0, 8);
}

/** The MiniSearch query of one term, or null if it has no letters, digits or Han characters. */
function termQuery(term: string): Query | null {
  const required: Query[] = [];
  for (const [run] of term.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1) required.push({ queries: [run], prefix: true });
    else for (let i = 0; i + 1 < chars.length; i++) required.push(chars[i]! + chars[i + 1]!);
  }
  for (const [word] of term.matchAll(WORD_RUN)) required.push({ queries: [word], prefix: true });
  if (required.length === 0) return null;
  const exact: Query = { combineWith: 'AND', queries: required };
  const words = longWords(term);
  return words.length ? { combineWith: 'OR', queries: [exact, { combineWith: 'AND', queries: words }] } : exact;
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

function put(index: SearchIndex, id: string, doc: StoredDoc): void {
  const mini: MiniDoc = { id };
  for (const [f, t] of Object.entries(doc.fields) as [IndexField, FieldText][]) mini[f] = t.display;
  if (index.mini.has(id)) index.mini.replace(mini);
  else index.mini.add(mini);
  index.docs.set(id, doc);
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
  const index: SearchIndex = {
    mini: new MiniSearch<MiniDoc>({
      idField: 'id',
      fields: INDEX_FIELDS,
      storeFields: [],
      tokenize,
      processTerm: (term) => term,
    }),
    docs: new Map(),
  };
  for (const task of corpus.tasks) put(index, taskDocId(task.id), taskDoc(task));
  for (const a of data.annotations ?? []) indexAnnotation(index, a);
  for (const e of data.logEntries ?? []) indexLogEntry(index, e);
  return index;
}

/**
 * The same index built without holding the main thread: documents are added in chunks with a
 * yield in between. A city-wide data set (1,352 annotations, 13,520 notes) takes about 2 s to index
 * in all, so the app builds it after first paint and search becomes available when it resolves.
 */
export async function buildSearchIndex(
  corpus: { tasks: readonly Task[] },
  data: { annotations?: readonly Annotation[]; logEntries?: readonly LogEntry[] } = {},
  options: { chunkSize?: number; signal?: AbortSignal } = {},
): Promise<SearchIndex> {
  const index = createSearchIndex(corpus);
  const chunk = Math.max(1, options.chunkSize ?? 200);
  const work: (() => void)[] = [
    ...(data.annotations ?? []).map((a) => () => indexAnnotation(index, a)),
    ...(data.logEntries ?? []).map((e) => () => indexLogEntry(index, e)),
  ];
  for (let i = 0; i < work.length; i += chunk) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    for (const step of work.slice(i, i + chunk)) step();
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
  if (index.mini.has(docId)) index.mini.discard(docId);
  index.docs.delete(docId);
}

// ---------------------------------------------------------------------------------------------
// Searching

/**
 * Hits for a query, best first: one per (document, field) where every term of the query occurs in
 * that field. With `unitCode`, annotation and log hits are limited to that unit (task text hits
 * always count). An empty query gives no hits.
 */
export function searchAll(index: SearchIndex, query: string, options: { unitCode?: string | null; limit?: number } = {}): Hit[] {
  const terms = queryTerms(query);
  const queries = terms.map(termQuery).filter((q): q is Query => q !== null);
  if (queries.length === 0) return [];
  const identity = (s: string) => s;
  const results = index.mini.search(
    { combineWith: 'AND', queries },
    { tokenize: (s) => [s], processTerm: identity, fuzzy: false, prefix: false },
  );
  const hits: Hit[] = [];
  for (const r of results) {
    const id = String(r.id);
    const doc = index.docs.get(id);
    if (!doc) continue;
    if (options.unitCode && doc.unitCode !== null && doc.unitCode !== options.unitCode) continue;
    let sawTask = false;
    for (const [f, text] of Object.entries(doc.fields) as [IndexField, FieldText][]) {
      if (!terms.every((t) => text.folded.includes(t))) continue;
      const field: HitField = f === 'taskRef' ? 'task' : f;
      if (field === 'task') {
        if (sawTask) continue; // text and ref both matched: one hit, from the text
        sawTask = true;
      }
      hits.push({
        taskId: doc.taskId,
        unitCode: doc.unitCode,
        field,
        snippet: snippet(text.display, terms[0]!),
        score: r.score,
        ...(doc.logEntryId ? { logEntryId: doc.logEntryId } : {}),
      });
    }
  }
  hits.sort((a, b) => b.score - a.score || FIELD_ORDER[a.field] - FIELD_ORDER[b.field] || a.taskId.localeCompare(b.taskId));
  return hits.slice(0, options.limit ?? 500);
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

/** Up to 80 characters of `display` around the first occurrence of `term` (a folded term). */
function snippet(display: string, term: string): string {
  if (display.length <= SNIPPET_MAX) return display;
  const direct = fold(display);
  let at = direct.length === display.length ? direct.indexOf(term) : -1;
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
