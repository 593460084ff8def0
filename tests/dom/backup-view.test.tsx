/**
 * The backups screen, rendered with the real service and the real backup folder: 立即备份 lists a
 * verified backup; 恢复 asks first (saying a restore point is saved), restores, and shows the
 * banner whose 撤销恢复 brings the data back.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import '../../src-renderer/src/i18n';
import { createFakeMain, dataSnapshot, type FakeMain } from './backup-fixtures';
import { testCorpus } from '../support/corpus';
import type { Corpus } from '../../src-main/shared/corpus/types';
import { emptyFields, type Author } from '../../src-main/shared/domain';
import { db, openDatabase } from '../../src-renderer/src/db/db';
import { saveAnnotation } from '../../src-renderer/src/db/repo';
import { useSearchStore } from '../../src-renderer/src/store/searchStore';
import { useMatchMedia } from '../support/dom';

const ipc = vi.hoisted(() => ({ invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>) }));
vi.mock('../../src-renderer/src/api/client', () => ({ invoke: (channel: string, ...args: unknown[]) => ipc.invoke!(channel, ...args) }));

const { BackupsView } = await import('../../src-renderer/src/features/backups');

let corpus: Corpus;
let main: FakeMain;
const me: Author = { name: '张三', unitCode: '320102' };

beforeAll(async () => {
  corpus = testCorpus();
  main = createFakeMain(new Date(2025, 5, 30, 9, 0));
  ipc.invoke = (channel, ...args) => main.invoke(channel as never, ...args);
  useMatchMedia();
  await openDatabase(db, { persist: false });
});
afterAll(async () => {
  // The restore rebuilds the search index in the background; let it finish before closing the database
  // (also when the test failed before its own wait).
  await waitFor(() => expect(useSearchStore.getState().building).toBe(false), { timeout: 30_000 });
  db.close();
  main.dispose();
});

describe('BackupsView', { timeout: 60_000 }, () => {
  it('backs up now, restores with a confirmation, and undoes the restore from the banner', async () => {
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'on_track', results: '第一版' }, me);
    const first = await dataSnapshot(db);
    const view = render(
      <AntApp>
        <BackupsView corpus={corpus} />
      </AntApp>,
    );
    await screen.findByText('还没有备份');

    fireEvent.click(screen.getByText('立即备份'));
    await waitFor(() => expect(screen.getAllByText('完好')).toHaveLength(1), { timeout: 20_000 });

    // More work, then restore the first backup.
    await saveAnnotation(db, 'T1-01', '320102', { ...emptyFields(), status: 'done', results: '第二版' }, me);
    const second = await dataSnapshot(db);
    main.clock.now = new Date(2025, 5, 30, 10, 0);
    fireEvent.click(screen.getAllByText(/^恢\s*复$/, { selector: 'button span' })[0]!);
    const confirm = (await screen.findByText(/^从 .* 的备份恢复？$/, { selector: '.ant-modal-confirm-title' })).closest('.ant-modal') as HTMLElement;
    expect(within(confirm).getByText(/当前数据会先自动保存为一个“恢复点”备份/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(confirm).getByText(/^恢\s*复$/, { selector: 'button span' }));
    });
    const banner = (await screen.findByText(/已从 .* 的备份恢复数据/, {}, { timeout: 20_000 })).closest('.backup-restored') as HTMLElement;
    await waitFor(async () => expect(await dataSnapshot(db)).toEqual(first));
    // The restore point is listed as such.
    await waitFor(() => expect(screen.getByText('恢复点')).toBeTruthy());

    main.clock.now = new Date(2025, 5, 30, 10, 5);
    fireEvent.click(within(banner).getByText(/撤销恢复/, { selector: 'button span' }));
    const undo = (await screen.findByText('撤销恢复？', { selector: '.ant-modal-confirm-title' })).closest('.ant-modal') as HTMLElement;
    await act(async () => {
      fireEvent.click(within(undo).getByText(/撤销恢复/, { selector: 'button span' }));
    });
    await waitFor(async () => expect(await dataSnapshot(db)).toEqual(second), { timeout: 20_000 });
    await screen.findByText(/撤销上一次恢复/);
    // Unmount inside the test, once the restore's follow-up (the search index rebuilt in the
    // background) has finished, so no React work is left for after the environment is torn down.
    await waitFor(() => expect(useSearchStore.getState().building).toBe(false), { timeout: 30_000 });
    await act(async () => view.unmount());
  });
});
