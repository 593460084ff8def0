/**
 * An older app opening a database that a newer app already upgraded must refuse to use it (and so
 * never write to it) with a message that says to upgrade, instead of failing later or silently.
 */
import { describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { createDb, openDatabase, SCHEMA_VERSION } from '../../src-renderer/src/db/db';
import { describeOpenError } from '../../src-renderer/src/db/openError';

describe('a database from a newer app version', () => {
  it('is refused with 请升级本软件 and left untouched', async () => {
    const name = `newer-${crypto.randomUUID()}`;
    const future = new Dexie(name);
    future.version(SCHEMA_VERSION + 5).stores({ profile: 'id', units: 'code, order', annotations: 'key', futureTable: 'id' });
    await future.open();
    await future.table('futureTable').put({ id: 'x', value: 1 });
    future.close();

    const db = createDb(name);
    const error = await openDatabase(db, { persist: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    const message = describeOpenError(error);
    expect(message.code).toBe('db.newer_version');
    expect(message.message).toMatch(/请升级本软件/);

    // The newer data is still there, unchanged.
    const again = new Dexie(name);
    again.version(SCHEMA_VERSION + 5).stores({ profile: 'id', units: 'code, order', annotations: 'key', futureTable: 'id' });
    await again.open();
    expect(await again.table('futureTable').get('x')).toEqual({ id: 'x', value: 1 });
    again.close();
  });
});
