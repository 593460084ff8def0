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
 * Records, from navigation start (performance.now() = 0), when the task tree first shows a leaf
 * (`tree`), when it shows a leaf with its status badge — the unit's annotations loaded (`data`) —
 * and when the frame that drew it was done:
 * - `frameEnd`: the end of that animation frame's rendering update (style, layout, paint), from the
 *   Long Animation Frames API: the long frame (≥ 50 ms, which the frame that draws the whole tree
 *   usually is) that contains `data`. This is "drawn". Null if that frame was short (then only
 *   `painted` is known) or the API is missing.
 * - `painted`: the first task after that frame (rAF, then a message). Until run G3 this was the
 *   figure; it also counts whatever task the app queued for right after the frame (the search
 *   index, deferred mounts), which the person already sees drawn (up to ~100 ms in session 6).
 * A second after `painted` it writes MARKER_DONE to the console: the benchmark waits for that console
 * message instead of polling the page, because polling runs Playwright's injected script in the page
 * while it starts (~20-30 ms of its main thread, session 7) — work the app itself never has to do.
 */
export const MARKER_DONE = 'pd-first-render-recorded';
const DONE_AFTER_MS = 1000;

export const MARKER = `(() => {
  if (location.pathname.startsWith('/bench/') || location.href === 'about:blank') return;
  const rec = { tree: null, data: null, painted: null, frameEnd: null, frameRenderStart: null };
  window.__firstRender = rec;
  if ((PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const f of list.getEntries()) {
        const end = f.startTime + f.duration;
        if (rec.data !== null && rec.frameEnd === null && f.startTime <= rec.data && end >= rec.data) {
          rec.frameEnd = end;
          rec.frameRenderStart = f.renderStart || null;
        }
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
  const check = () => {
    if (rec.tree === null && document.querySelector('nav [data-task-id]')) rec.tree = performance.now();
    if (rec.data === null && document.querySelector('nav [data-task-id] .task-meta')) {
      rec.data = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          rec.painted = performance.now();
          // Time for the frame's Long Animation Frame entry (delivered after the frame), then say so.
          setTimeout(() => console.debug('${MARKER_DONE}'), ${DONE_AFTER_MS});
        };
        ch.port2.postMessage(0);
      });
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
})();`;

/** Milliseconds to "drawn": the frame's end where known, else the task after it (see MARKER). */
export function firstRenderMs(rec: { painted: number; frameEnd: number | null }): number {
  // The frame has ended by the task after it: `painted` bounds it from above either way.
  return rec.frameEnd === null ? rec.painted : Math.min(rec.frameEnd, rec.painted);
}
