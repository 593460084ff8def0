/**
 * A rich-text document the editor cannot draw (a table cell spanning 1e9 columns, stored before
 * bundles were checked for it) fails in its own panel: the navigation and the other fields stay.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { App as AntApp } from 'antd';
import '../../src-renderer/src/i18n';
import { RichTextEditor } from '../../src-renderer/src/features/richtext/RichTextEditor';
import type { RichDoc } from '../../src-main/shared/richtext';

const table = (colspan: number): RichDoc =>
  ({
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: '表格如下' }] },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan, rowspan: 1, colwidth: null }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '单元格' }] }] }] },
        ],
      },
    ],
  }) as RichDoc;

function Screen({ doc }: { doc: RichDoc }) {
  return (
    <AntApp>
      <nav>任务导航</nav>
      <RichTextEditor ariaLabel="推进情况" docKey="k" value={doc} onChange={() => {}} />
      <p>存在问题栏</p>
    </AntApp>
  );
}

afterEach(cleanup);

describe('a rich-text panel that cannot be drawn', () => {
  it('draws a sane table in the editor (the case below differs only in the span)', () => {
    render(<Screen doc={table(1)} />);
    expect(screen.getByText('单元格')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('with colspan 1e9 shows a notice in that panel only; the rest of the screen stays', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<Screen doc={table(1e9)} />);
    expect(screen.getByRole('alert').textContent).toContain('「推进情况」无法显示');
    expect(screen.getByText('任务导航')).toBeTruthy();
    expect(screen.getByText('存在问题栏')).toBeTruthy();
    expect(screen.queryByText('界面出现错误')).toBeNull();
  });
});
