/**
 * public/warm-storage.js opens the app's database while the page loads, so that the browser has its
 * files open when the app asks (issue #8). It must never create, change or hold that database: a
 * first start still gets a database created and seeded by the app, and a later open (or a schema
 * upgrade) is never blocked by it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, db, openDatabase } from '../../src-renderer/src/db/db';
import { emptyFields } from '../../src-main/shared/domain';
import { saveAnnotation } from '../../src-renderer/src/db/repo';

const SOURCE = readFileSync(resolve('src-renderer/public/warm-storage.js'), 'utf8');

/**
 * Runs the script as the page does, with the database name replaced for a test's own database, and
 * resolves once its open request has settled: succeeded (the script's handler has closed the
 * database by then) or failed (the creating upgrade it aborted).
 */
function runWarmUp(name: string): Promise<void> {
  const requests: IDBOpenDBRequest[] = [];
  const watched = {
    open: (...args: Parameters<IDBFactory['open']>) => {
      const r = indexedDB.open(...args);
      requests.push(r);
      return r;
    },
  };
  new Function('indexedDB', SOURCE.replace(`indexedDB.open('${db.name}')`, `indexedDB.open(${JSON.stringify(name)})`))(watched);
  expect(requests).toHaveLength(1);
  return new Promise((settled) => {
    requests[0]!.addEventListener('success', () => settled());
    requests[0]!.addEventListener('error', () => settled());
  });
}

async function exists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === name);
}

describe('warm-storage.js', () => {
  it('opens the app’s own database (the name db.ts gives it)', () => {
    expect(SOURCE).toContain(`indexedDB.open('${db.name}')`);
  });

  it('does not create a database that does not exist: the app creates and seeds it as on any first start', async () => {
    await runWarmUp('warm-first-start');
    expect(await exists('warm-first-start')).toBe(false);
    const fresh = createDb('warm-first-start');
    const outcome = await openDatabase(fresh, { persist: false });
    expect(outcome.created).toBe(true);
    expect(await fresh.units.count()).toBeGreaterThan(0);
    fresh.close();
  });

  it('leaves an existing database as it was', async () => {
    const existing = createDb('warm-existing');
    await openDatabase(existing, { persist: false });
    await saveAnnotation(existing, 'T1-01', '320102', { ...emptyFields(), status: 'done' }, { name: '李明', unitCode: '320102' });
    const version = existing.verno;
    existing.close();

    await runWarmUp('warm-existing');
    const again = createDb('warm-existing');
    const outcome = await openDatabase(again, { persist: false });
    expect(outcome).toMatchObject({ created: false, upgradedFrom: null });
    expect(again.verno).toBe(version);
    expect((await again.annotations.get('T1-01|320102'))?.status).toBe('done');
    again.close();
  });

  it('closes what it opened: a schema upgrade right after it is not blocked', async () => {
    await new Promise<void>((res) => {
      const r = indexedDB.open('warm-upgrade', 1);
      r.onsuccess = () => {
        r.result.close();
        res();
      };
    });
    await runWarmUp('warm-upgrade');
    const outcome = await new Promise<string>((res) => {
      const r = indexedDB.open('warm-upgrade', 2);
      r.onblocked = () => res('blocked');
      r.onsuccess = () => {
        r.result.close();
        res('upgraded');
      };
    });
    expect(outcome).toBe('upgraded');
  });
});
