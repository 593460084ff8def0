import { defineConfig } from 'vitest/config';

/**
 * Projects mirror the runtimes: node for src-main, jsdom + fake-indexeddb for renderer logic, and
 * e2e, which drives the built renderer in headless Chromium through the loopback harness. Node tests
 * that need programs or fonts outside npm (LibreOffice's soffice, poppler's pdftotext, the CJK font
 * of fonts-noto-cjk that the charts are drawn with; .ci/run installs them) are the `office` project,
 * so `npm run test:fast` (unit + dom) needs nothing but `npm install`.
 */
const NEEDS_OFFICE = ['tests/unit/report-pdf.test.ts', 'tests/unit/chart-font.test.ts', 'tests/unit/report-gongwen-pdf.test.ts', 'tests/unit/circular-pdf.test.ts'];

export default defineConfig({
  test: {
    // Two workers even on a 2-core machine (vitest's default there is one). vitest runs a project
    // whose files may not run in parallel (e2e, below) as a group of its own, after the others;
    // `npm test` therefore starts the e2e run and the rest side by side (tests/support/runTests.ts).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          exclude: NEEDS_OFFICE,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'office',
          environment: 'node',
          include: NEEDS_OFFICE,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['tests/dom/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/dom/setup.ts'],
          // jsdom + fake-indexeddb is slow on a loaded 2-core machine; these are not timing tests.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // expect.poll waits for the app to reach a state (an autosave, an import); vitest's 1 s
          // default is shorter than a loaded CI machine sometimes needs. Waiting longer asserts no
          // speed: a state that never comes still fails.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
