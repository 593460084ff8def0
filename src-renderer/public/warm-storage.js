/*
 * Starts opening the app's IndexedDB storage while the page is still loading (issue #8). Loaded
 * without async or defer, so it runs as soon as it arrives, before the app's modules (an async copy
 * started the open 10-120 ms later in alternating runs).
 *
 * On a start, Chromium opens the origin's database files (LevelDB) the first time the page asks for
 * IndexedDB: ~100-190 ms of the browser process at city scale, more at ×4. The app asks only after
 * its scripts have run and main has confirmed the page's origin (src/store/sessionStore.ts), so that
 * opening became the longest wait before the first screen. This classic script runs before the
 * app's modules: it opens the existing database and closes it at once; a database that does not
 * exist is not created (the creating upgrade is aborted), so nothing is ever written here.
 * The name is the app's database (db.ts `createDb()`); tests/dom/warm-storage.test.ts checks both.
 */
/* global indexedDB */
(function () {
  try {
    var request = indexedDB.open('pilot-desk');
    request.onupgradeneeded = function () {
      if (request.transaction) request.transaction.abort();
    };
    request.onsuccess = function () {
      request.result.close();
    };
    request.onerror = function (event) {
      event.preventDefault();
    };
  } catch {
    // No IndexedDB: the app's own open reports it.
  }
})();
