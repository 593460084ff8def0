/**
 * Report drafts hold two nodes an annotation may not: a live figure and a computed table or chart.
 * A bundle's annotation carrying either is refused like any unknown element.
 */
import { describe, expect, it } from 'vitest';
import { plainText, validateRichDoc, type RichDoc } from '../../src-main/shared/richtext';

const withFigure: RichDoc = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: '已实施任务' }, { type: 'figure', attrs: { key: 'overall.implemented', text: '62' } }, { type: 'text', text: '项。' }] },
    { type: 'reportBlock', attrs: { block: 'table.byTable' } },
  ],
};

describe('draft-only rich-text nodes', () => {
  it('a draft may hold figures and report blocks; an annotation may not', () => {
    expect(validateRichDoc(withFigure, 200_000, { draft: true })).toBeNull();
    expect(validateRichDoc(withFigure)).toMatch(/不允许的元素/);
  });
  it('refuses a figure without its key or text, an unknown block, and content inside either', () => {
    const p = (n: unknown) => ({ type: 'doc', content: [{ type: 'paragraph', content: [n] }] });
    expect(validateRichDoc(p({ type: 'figure', attrs: { key: 'overall.total' } }), 1000, { draft: true })).not.toBeNull();
    expect(validateRichDoc(p({ type: 'figure', attrs: { key: 'javascript:alert(1)', text: '1' } }), 1000, { draft: true })).not.toBeNull();
    expect(validateRichDoc({ type: 'doc', content: [{ type: 'reportBlock', attrs: { block: 'table.secret' } }] }, 1000, { draft: true })).not.toBeNull();
    expect(validateRichDoc({ type: 'doc', content: [{ type: 'reportBlock', attrs: { block: 'table.byUnit' }, content: [] }] }, 1000, { draft: true })).not.toBeNull();
  });
  it('prints a figure as its text', () => {
    expect(plainText(withFigure)).toBe('已实施任务62项。');
  });
});
