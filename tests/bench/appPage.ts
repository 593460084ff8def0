/** The real app in the browser harness: what the benchmark and the profiler need to watch it. */
import type { Page } from 'playwright-core';

/** The app's database name (db.ts): the last import of each scale goes there, for the first render. */
export const APP_DB = 'pilot-desk';

/** Waits until the app recorded an automatic backup (meta `backups.last`), read with plain IndexedDB. */
export async function waitForFirstBackup(page: Page, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const done = await page.evaluate(
      (name) =>
        new Promise<boolean>((res) => {
          const r = indexedDB.open(name);
          r.onerror = () => res(false);
          r.onsuccess = () => {
            const idb = r.result;
            try {
              const g = idb.transaction('meta').objectStore('meta').get('backups.last');
              g.onsuccess = () => {
                idb.close();
                res(!!g.result);
              };
              g.onerror = () => {
                idb.close();
                res(false);
              };
            } catch {
              idb.close();
              res(false);
            }
          };
        }),
      APP_DB,
    );
    if (done) return true;
    if (Date.now() > until) return false; // an app build without automatic backups, or a failing one
    await page.waitForTimeout(2000);
  }
}

/**
 * Records, from navigation start (performance.now() = 0), when the task tree first shows a leaf,
 * when it shows a leaf with its status badge (the unit's annotations loaded), and the end of the
 * frame that painted it (rAF, then a message: the task after the paint).
 */
export const MARKER = `(() => {
  if (location.pathname.startsWith('/bench/') || location.href === 'about:blank') return;
  const rec = { tree: null, data: null, painted: null };
  window.__firstRender = rec;
  const check = () => {
    if (rec.tree === null && document.querySelector('nav [data-task-id]')) rec.tree = performance.now();
    if (rec.data === null && document.querySelector('nav [data-task-id] .task-meta')) {
      rec.data = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { rec.painted = performance.now(); };
        ch.port2.postMessage(0);
      });
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
})();`;
