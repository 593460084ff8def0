/** A rendering bug shows a recovery screen with a way back, not a blank window. */
import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/react';
import { useState } from 'react';
import '../../src-renderer/src/i18n';
import { ErrorBoundary } from '../../src-renderer/src/app/ErrorBoundary';

let explode = true;
function Fragile() {
  const [n] = useState(1);
  if (explode) throw new Error('测试用的渲染错误');
  return <p>恢复正常 {n}</p>;
}

describe('ErrorBoundary', () => {
  it('shows the recovery screen and recovers on retry', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByText('界面出现错误')).toBeTruthy();
    expect(screen.getByText('测试用的渲染错误')).toBeTruthy();
    explode = false;
    fireEvent.click(screen.getByRole('button', { name: /重\s*试/ }));
    expect(screen.getByText(/恢复正常/)).toBeTruthy();
  });
});
