/** A demo bundle that carries one period and one snapshot of its own annotations (format version 2). */
import { makeDemoData } from '../../src-main/shared/bundle/demo';
import { writeBundle } from '../../src-main/shared/bundle/write';
import { freezeSnapshot, type Period, type Snapshot } from '../../src-main/shared/snapshot/model';
import { corpus } from './bundle-fixtures';

export const PERIOD_2024: Period = {
  id: 'p-2024',
  name: '2024年度',
  kind: 'annual',
  start: '2024-01-01',
  end: '2024-12-31',
  createdAt: '2024-01-02T00:00:00.000Z',
  updatedAt: '2024-01-02T00:00:00.000Z',
};

let cached: { bytes: Uint8Array; snapshot: Snapshot } | null = null;
export function snapshotBundle(): { bytes: Uint8Array; snapshot: Snapshot } {
  if (!cached) {
    const d = makeDemoData({ units: 1, seed: 3, corpus: corpus() });
    const snapshot = freezeSnapshot(d, {
      id: 'snap-2024',
      periodId: PERIOD_2024.id,
      frozenAt: '2024-12-31T08:00:00.000Z',
      author: { name: '王芳', unitCode: '320102' },
      corpusHash: corpus().hash,
    });
    cached = { bytes: writeBundle({ ...d, periods: [PERIOD_2024], snapshots: [snapshot] }), snapshot };
  }
  return cached;
}
