/**
 * Rich text from a bundle stays within what the editor can draw: table size, spans, nesting and
 * attributes are capped (a link keeps its address). And whatever the editor itself writes — every
 * node and mark it offers — passes the same check, so no one's own text is ever refused.
 */
import { describe, expect, it } from 'vitest';
import { Editor } from '@tiptap/core';
import { editorExtensions } from '../../src-renderer/src/features/richtext/extensions';
import { readBundle } from '../../src-main/shared/bundle/read';
import { bundleWithProgressNotes, ctx } from '../unit/bundle-fixtures';
import { MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, validateRichDoc, type RichDoc } from '../../src-main/shared/richtext';

const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const cell = (attrs: Record<string, unknown> = { colspan: 1, rowspan: 1, colwidth: null }) => ({ type: 'tableCell', attrs, content: [para('格')] });
const doc = (...content: unknown[]) => ({ type: 'doc', content });
const tableOf = (rows: number, cols: number) => ({ type: 'table', content: Array.from({ length: rows }, () => ({ type: 'tableRow', content: Array.from({ length: cols }, () => cell()) })) });

describe('what the editor writes', () => {
  it('validates, with every node and mark the editor offers', () => {
    const ed = new Editor({
      extensions: editorExtensions(),
      content:
        '<h1>一</h1><h3>三</h3><p><strong>b</strong><em>i</em><u>u</u><s>s</s><a href="https://www.nanjing.gov.cn" title="南京">链接</a><br>换行</p>' +
        '<ol start="3"><li><p>a</p><ul><li><p>b</p></li></ul></li></ol><blockquote><p>引文</p></blockquote>' +
        '<table><tr><th colspan="2">表头</th></tr><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></table>',
    });
    const json = ed.getJSON();
    ed.destroy();
    expect(JSON.stringify(json)).toContain('"colspan":2');
    expect(validateRichDoc(json)).toBeNull();
  });
});

describe('rich text from a bundle', () => {
  it('accepts a table at the caps', () => {
    expect(validateRichDoc(doc(tableOf(3, MAX_TABLE_COLUMNS)))).toBeNull();
  });

  it.each([
    ['a cell spanning 1e9 columns', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 1e9, rowspan: 1 })] }] }), /合并范围|超过 30 列/],
    ['a cell spanning 1e9 rows', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 1, rowspan: 1e9 })] }] }), /合并范围/],
    ['a span of 0', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 0 })] }] }), /合并范围/],
    ['a fractional span', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 1.5 })] }] }), /合并范围/],
    ['a row wider than the cap', doc(tableOf(1, MAX_TABLE_COLUMNS + 1)), /列/],
    ['spans adding up past the cap', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 20 }), cell({ colspan: 20 })] }] }), /列/],
    ['more rows than the cap', doc(tableOf(MAX_TABLE_ROWS + 1, 1)), /行/],
    ['an attribute on a paragraph', doc({ type: 'paragraph', attrs: { onclick: 'x' }, content: [{ type: 'text', text: 'a' }] }), /不允许的属性/],
    ['a style on a cell', doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 1, style: 'x' })] }] }), /不允许的属性/],
    ['a heading level 99', doc({ type: 'heading', attrs: { level: 99 }, content: [{ type: 'text', text: 'a' }] }), /level/],
    ['a link with an event handler', doc({ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'link', attrs: { href: 'https://a.cn', onmouseover: 'x' } }] }] }), /链接/],
    ['a link opening in a named frame', doc({ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'link', attrs: { href: 'https://a.cn', target: '_top' } }] }] }), /链接/],
    ['a link to javascript:', doc({ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }), /链接/],
    ['attributes on bold', doc({ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'bold', attrs: { href: 'x' } }] }] }), /格式/],
    ['a prototype key', doc({ type: 'paragraph', attrs: JSON.parse('{"__proto__": {"x": 1}}'), content: [{ type: 'text', text: 'a' }] }), /不允许的属性/],
  ])('refuses %s', (_, d, reason) => {
    expect(validateRichDoc(d as RichDoc)).toMatch(reason);
  });
});

describe('a bundle carrying such a table', () => {
  it('is refused at verification, with nothing read', () => {
    const evil = doc({ type: 'table', content: [{ type: 'tableRow', content: [cell({ colspan: 1e9, rowspan: 1 })] }] });
    const r = readBundle(bundleWithProgressNotes(evil), ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/合并范围|超过 30 列/);
  });
});
