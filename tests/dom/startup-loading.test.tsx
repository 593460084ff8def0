/**
 * A long start (the first open after a schema upgrade re-indexes a city's revisions once) says so
 * after a few seconds instead of showing a bare spinner that looks like a hang.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import '../../src-renderer/src/i18n';
import { SLOW_START_MS, StartupLoading } from '../../src-renderer/src/app/App';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('StartupLoading', () => {
  it('explains a long wait once it has lasted a few seconds', () => {
    vi.useFakeTimers();
    render(<StartupLoading />);
    expect(screen.getByRole('status').textContent).not.toContain('不要关闭窗口');
    act(() => vi.advanceTimersByTime(SLOW_START_MS - 100));
    expect(screen.getByRole('status').textContent).not.toContain('不要关闭窗口');
    act(() => vi.advanceTimersByTime(200));
    expect(screen.getByRole('status').textContent).toContain('请稍候，不要关闭窗口');
  });
});
