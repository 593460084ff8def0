/**
 * Shared set-up of the backup DOM tests: the renderer's `invoke` goes to the real main-side
 * handlers over a real backup folder (a temp dir), with IPC's copy semantics (structuredClone),
 * a movable clock, and a hook that damages a backup right after it is written.
 * Each test file must `vi.mock` the client module to `ipc.invoke` (see backup-service.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useNodeBlob } from '../support/dom';
import { createHandlers, type HandlerDeps } from '../../src-main/main/handlers';
import { createBackupStore } from '../../src-main/main/services/backups';
import type { Channel, Handlers } from '../../src-main/shared/ipc-contract';
import type { PilotDb } from '../../src-renderer/src/db/db';

useNodeBlob();

export interface FakeMain {
  dir: string;
  clock: { now: Date };
  /** Called with each new backup's path right after `backup:write` (before the renderer reads it back). */
  afterWrite: ((path: string) => void) | null;
  calls: Channel[];
  invoke(channel: Channel, ...args: unknown[]): Promise<unknown>;
  dispose(): void;
}

export function createFakeMain(start = new Date()): FakeMain {
  const dir = mkdtempSync(join(tmpdir(), 'pilotdesk-backup-dom-'));
  const clock = { now: start };
  const handlers: Handlers = createHandlers({
    backups: createBackupStore(dir, { now: () => clock.now }),
    info: { name: 'PilotDesk', version: '0.1.0-test', shell: 'harness', platform: 'linux' },
  } as Partial<HandlerDeps> as HandlerDeps);
  const main: FakeMain = {
    dir,
    clock,
    afterWrite: null,
    calls: [],
    async invoke(channel, ...args) {
      main.calls.push(channel);
      const fn = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
      const result = (await fn(...structuredClone(args))) as { ok: boolean; value?: { name?: string } };
      if (channel === 'backup:write' && result.ok && main.afterWrite) main.afterWrite(join(dir, result.value!.name!));
      return structuredClone(result);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  return main;
}

/** Flips bytes in the middle of a file (a damaged disk or a half-copied file). */
export function damage(path: string): void {
  const b = readFileSync(path);
  for (let i = Math.floor(b.length / 2); i < Math.floor(b.length / 2) + 16 && i < b.length; i++) b[i]! ^= 0xff;
  writeFileSync(path, b);
}

/** Every row of every table (attachments with their bytes), for exact before/after comparisons. */
export async function fullSnapshot(db: PilotDb, options: { skipMeta?: boolean } = {}): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of ['profile', 'units', 'annotations', 'revisions', 'logEntries', 'evidence', 'imports', 'periods', 'snapshots', 'reportDrafts', 'reportDraftRevisions']) {
    out[name] = await db.table(name).orderBy(':id').toArray();
  }
  const files = await db.attachments.orderBy(':id').toArray();
  out.attachments = await Promise.all(
    files.map(async ({ blob, ...rest }) => ({ ...rest, type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) })),
  );
  if (!options.skipMeta) out.meta = (await db.meta.orderBy(':id').toArray()).filter((m) => !m.key.startsWith('backups.'));
  return out;
}

/** The data tables a backup holds (no attachments table: restoring adds files, never drops them). */
export async function dataSnapshot(db: PilotDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of ['units', 'annotations', 'revisions', 'logEntries', 'evidence', 'periods', 'snapshots', 'reportDrafts', 'reportDraftRevisions']) {
    out[name] = await db.table(name).orderBy(':id').toArray();
  }
  return out;
}
