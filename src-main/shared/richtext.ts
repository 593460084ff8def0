/**
 * Rich text as stored: ProseMirror/Tiptap JSON limited to the nodes and marks the editor offers.
 * Bundles are untrusted, so `validateRichDoc` checks a document against this schema (and links
 * against safe protocols) before anything is written; reports turn the same JSON into Word runs.
 */

export interface RichMark {
  type: 'bold' | 'italic' | 'underline' | 'strike' | 'link';
  attrs?: { href: string };
}

export interface RichNode {
  type: RichNodeType;
  attrs?: Record<string, string | number | null>;
  content?: RichNode[];
  text?: string;
  marks?: RichMark[];
}

export interface RichDoc {
  type: 'doc';
  content: RichNode[];
}

export const RICH_NODE_TYPES = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'table',
  'tableRow',
  'tableCell',
  'tableHeader',
  'text',
  'hardBreak',
  'blockquote',
  // Report drafts only (`validateRichDoc(…, { draft: true })`): a live figure and a computed table or chart.
  'figure',
  'reportBlock',
] as const;
export type RichNodeType = (typeof RICH_NODE_TYPES)[number];

export const RICH_MARK_TYPES = ['bold', 'italic', 'underline', 'strike', 'link'] as const;

/** Links may point only here: the web (https/http) and mail. Never javascript:, data:, file:. */
export const SAFE_LINK_PROTOCOLS = ['https:', 'http:', 'mailto:'] as const;

export function isSafeLink(href: string): boolean {
  try {
    const url = new URL(href);
    return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(url.protocol);
  } catch {
    return false;
  }
}

/** An empty document (one empty paragraph, as the editor makes it). */
export function emptyDoc(): RichDoc {
  return { type: 'doc', content: [{ type: 'paragraph' }] };
}

/** A document of plain paragraphs, one per line of `text`. */
export function docFromText(text: string): RichDoc {
  const lines = text.split(/\r?\n/);
  return {
    type: 'doc',
    content: lines.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  };
}

/** Plain text of a document: blocks separated by newlines (for search, ledgers and previews). */
export function plainText(doc: RichDoc | null | undefined): string {
  if (!doc) return '';
  const blocks: string[] = [];
  const inline = (n: RichNode): string =>
    n.type === 'text'
      ? (n.text ?? '')
      : n.type === 'hardBreak'
        ? '\n'
        : n.type === 'figure'
          ? String(n.attrs?.text ?? '')
          : (n.content ?? []).map(inline).join('');
  const walk = (nodes: RichNode[] | undefined) => {
    for (const n of nodes ?? []) {
      if (n.type === 'paragraph' || n.type === 'heading') blocks.push(inline(n));
      else if (n.type === 'tableRow') blocks.push((n.content ?? []).map((c) => (c.content ?? []).map(inline).join(' ')).join('\t'));
      else walk(n.content);
    }
  };
  walk(doc.content);
  return blocks.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

export function isEmptyDoc(doc: RichDoc | null | undefined): boolean {
  return plainText(doc) === '';
}

const MAX_DEPTH = 12;

/** A table the editor and Word can lay out: prosemirror-tables builds a grid of rows × columns. */
export const MAX_TABLE_ROWS = 500;
export const MAX_TABLE_COLUMNS = 30;

type AttrRule = (value: unknown) => boolean;
const int = (lo: number, hi: number): AttrRule => (v) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const oneOf = (...values: unknown[]): AttrRule => (v) => values.includes(v);
const text = (max: number): AttrRule => (v) => v === null || (typeof v === 'string' && v.length <= max);
const cellAttrs: Record<string, AttrRule> = {
  colspan: int(1, MAX_TABLE_COLUMNS),
  rowspan: int(1, MAX_TABLE_ROWS),
  colwidth: oneOf(null),
  align: oneOf(null, 'left', 'center', 'right'),
};
/**
 * The attributes each node may carry, with the values allowed: exactly what the editor writes. A
 * cell spanning 1e9 columns made prosemirror-tables throw while drawing; anything not listed here
 * is refused, so a bundle cannot smuggle attributes for a later version of the editor to honour.
 */
/** What a report draft's `figure` counts: `overall.total`, `table.3.implementedShare`, `unit.320102.byStatus.done` … */
export const FIGURE_KEY_PATTERN = /^[a-z]+(\.[0-9A-Za-z_\u4e00-\u9fff-]+){1,4}$/;
/** The tables and charts a report draft may place (表N/图N are numbered when the report is rendered). */
export const REPORT_BLOCKS = ['table.byTable', 'table.byUnit', 'chart.status-by-table', 'chart.status-by-unit', 'chart.status-over-time'] as const;
export type ReportBlock = (typeof REPORT_BLOCKS)[number];
const NODE_ATTRS: Partial<Record<RichNodeType, Record<string, AttrRule>>> = {
  heading: { level: int(1, 6) },
  figure: { key: (v) => typeof v === 'string' && v.length <= 200 && FIGURE_KEY_PATTERN.test(v), text: (v) => typeof v === 'string' && v.length <= 200 },
  reportBlock: { block: oneOf(...REPORT_BLOCKS) },
  orderedList: { start: int(0, 1_000_000), type: oneOf(null, '1', 'a', 'A', 'i', 'I') },
  tableCell: cellAttrs,
  tableHeader: cellAttrs,
};
/** A link keeps its address; the editor's own defaults for the rest are the only other values. */
const LINK_ATTRS: Record<string, AttrRule> = {
  href: (v) => typeof v === 'string' && v.length <= 2000 && isSafeLink(v),
  target: oneOf(null, '_blank'),
  rel: oneOf(null, 'noopener noreferrer nofollow'),
  class: oneOf(null),
  title: text(500),
};

/** The columns a row spans (colspans added up); rowspans of earlier rows are not counted here. */
const rowWidth = (row: Record<string, unknown>): number =>
  (Array.isArray(row.content) ? row.content : []).reduce<number>((w, c) => {
    const span = (c as { attrs?: { colspan?: unknown } } | null)?.attrs?.colspan;
    return w + (typeof span === 'number' ? span : 1);
  }, 0);
const CHILDREN: Partial<Record<RichNodeType, readonly RichNodeType[]>> = {
  paragraph: ['text', 'hardBreak', 'figure'],
  heading: ['text', 'hardBreak', 'figure'],
  bulletList: ['listItem'],
  orderedList: ['listItem'],
  listItem: ['paragraph', 'heading', 'bulletList', 'orderedList'],
  blockquote: ['paragraph', 'heading', 'bulletList', 'orderedList'],
  table: ['tableRow'],
  tableRow: ['tableCell', 'tableHeader'],
  tableCell: ['paragraph', 'heading', 'bulletList', 'orderedList'],
  tableHeader: ['paragraph', 'heading', 'bulletList', 'orderedList'],
};
const BLOCKS: readonly RichNodeType[] = ['paragraph', 'heading', 'bulletList', 'orderedList', 'table', 'blockquote', 'reportBlock'];
/** Nodes a report draft may hold and an annotation may not. */
const DRAFT_ONLY: readonly string[] = ['figure', 'reportBlock'];

/**
 * Checks that `value` is a document the editor can hold: known nodes in allowed places, known
 * marks, safe links, bounded depth and size. Returns a Chinese reason, or null when valid.
 */
export function validateRichDoc(value: unknown, maxChars = 200_000, opts: { draft?: boolean } = {}): string | null {
  let chars = 0;
  const check = (v: unknown, allowed: readonly string[], depth: number): string | null => {
    if (depth > MAX_DEPTH) return '富文本嵌套层级过深';
    if (!v || typeof v !== 'object' || Array.isArray(v)) return '富文本结构无效';
    const n = v as Record<string, unknown>;
    for (const k of Object.keys(n)) if (!['type', 'attrs', 'content', 'text', 'marks'].includes(k)) return `富文本含有未知属性「${k}」`;
    if (typeof n.type !== 'string' || !allowed.includes(n.type) || (!opts.draft && DRAFT_ONLY.includes(n.type))) return `富文本含有不允许的元素「${String(n.type).slice(0, 40)}」`;
    if (DRAFT_ONLY.includes(n.type)) {
      const a = (n.attrs ?? {}) as Record<string, unknown>;
      if (n.content !== undefined || (n.type === 'figure' ? a.key === undefined || a.text === undefined : a.block === undefined)) return '富文本结构无效';
    }
    if (n.attrs !== undefined) {
      if (!n.attrs || typeof n.attrs !== 'object' || Array.isArray(n.attrs)) return '富文本属性无效';
      const rules = NODE_ATTRS[n.type as RichNodeType] ?? {};
      for (const [k, a] of Object.entries(n.attrs)) {
        const rule = Object.hasOwn(rules, k) ? rules[k] : undefined;
        if (!rule) return `富文本元素「${n.type}」含有不允许的属性「${k.slice(0, 20)}」`;
        if (!rule(a)) return k === 'colspan' || k === 'rowspan' ? `表格单元格合并范围无效（最多 ${MAX_TABLE_COLUMNS} 列、${MAX_TABLE_ROWS} 行）` : `富文本属性「${k}」的值无效`;
      }
    }
    if (n.type === 'table' && Array.isArray(n.content)) {
      if (n.content.length > MAX_TABLE_ROWS) return `表格超过 ${MAX_TABLE_ROWS} 行`;
      for (const row of n.content) {
        if (row && typeof row === 'object' && rowWidth(row as Record<string, unknown>) > MAX_TABLE_COLUMNS) return `表格超过 ${MAX_TABLE_COLUMNS} 列`;
      }
    }
    if (n.type === 'text') {
      if (typeof n.text !== 'string' || n.text.length === 0) return '富文本文字无效';
      chars += n.text.length;
      if (chars > maxChars) return `富文本超过 ${maxChars} 字`;
      if (n.content !== undefined) return '富文本结构无效';
      if (n.marks !== undefined) {
        if (!Array.isArray(n.marks) || n.marks.length > 8) return '富文本格式无效';
        for (const m of n.marks as unknown[]) {
          if (!m || typeof m !== 'object' || Array.isArray(m)) return '富文本格式无效';
          const mk = m as Record<string, unknown>;
          for (const k of Object.keys(mk)) if (k !== 'type' && k !== 'attrs') return '富文本格式无效';
          if (typeof mk.type !== 'string' || !(RICH_MARK_TYPES as readonly string[]).includes(mk.type)) return `富文本含有不允许的格式「${String(mk.type)}」`;
          if (mk.type === 'link') {
            const attrs = mk.attrs;
            if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return '链接只允许 https、http 或 mailto 地址';
            const a = attrs as Record<string, unknown>;
            if (!LINK_ATTRS.href!(a.href)) return '链接只允许 https、http 或 mailto 地址';
            for (const [k, v] of Object.entries(a)) {
              const rule = Object.hasOwn(LINK_ATTRS, k) ? LINK_ATTRS[k] : undefined;
              if (!rule || !rule(v)) return `链接含有不允许的属性「${k.slice(0, 20)}」`;
            }
          } else if (mk.attrs !== undefined) return '富文本格式无效';
        }
      }
      return null;
    }
    if (n.text !== undefined || n.marks !== undefined) return '富文本结构无效';
    if (n.content !== undefined) {
      if (!Array.isArray(n.content) || n.content.length > 10_000) return '富文本结构无效';
      const kids = CHILDREN[n.type as RichNodeType] ?? [];
      for (const c of n.content) {
        const e = check(c, kids, depth + 1);
        if (e) return e;
      }
    }
    return null;
  };
  if (!value || typeof value !== 'object' || (value as { type?: unknown }).type !== 'doc') return '富文本结构无效';
  const d = value as Record<string, unknown>;
  for (const k of Object.keys(d)) if (k !== 'type' && k !== 'content') return `富文本含有未知属性「${k}」`;
  if (!Array.isArray(d.content)) return '富文本结构无效';
  for (const c of d.content) {
    const e = check(c, BLOCKS, 1);
    if (e) return e;
  }
  return null;
}
