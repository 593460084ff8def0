/**
 * Starts the browser harness and a headless Debian Chromium with a fresh profile for one test.
 * Only the transport differs from Electron: the UI, IndexedDB and main-side handlers are real.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHarness, type Harness } from '../../../src-main/harness/server';
import { loadCorpus } from '../../../src-main/main/services/corpus';
import type { Corpus } from '../../../src-main/shared/corpus/types';
import type { Result } from '../../../src-main/shared/result';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const RENDERER_DIR = resolve('out/renderer');

/**
 * Where a test's screenshot goes: test-results/screenshots (ignored by git), so `npm test` leaves
 * the tracked tree as it was. `npm run screenshots` sets PILOT_DESK_SCREENSHOTS to
 * resources/screenshots to regenerate README's pictures on purpose.
 */
export function screenshotPath(name: string): string {
  const dir = resolve(process.env.PILOT_DESK_SCREENSHOTS || 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export interface AppSession {
  harness: Harness;
  context: BrowserContext;
  page: Page;
  profileDir: string;
  /** Page errors and console errors seen so far (a test can assert there are none). */
  errors: string[];
  /** Closes the browser (keeping the profile) and opens it again on the same profile. */
  restart(): Promise<Page>;
  close(): Promise<void>;
}

export interface StartOptions {
  corpus?: () => Result<Corpus>;
  profileDir?: string;
  viewport?: { width: number; height: number };
  /** Pretend the app's data was recorded under another origin (a moved installation). */
  recordedOrigin?: string;
  /** Dialogs as `npm run dev:web` gives them to a person: the file picker and downloads. */
  browserDialogs?: boolean;
}

export async function startApp(options: StartOptions = {}): Promise<AppSession> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first');
  const corpus = options.corpus ?? (() => loaded);
  const loaded = loadCorpus();
  const harness = await startHarness({ rendererDir: RENDERER_DIR, corpus, recordedOrigin: options.recordedOrigin, browserDialogs: options.browserDialogs });
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'pilotdesk-e2e-'));
  const errors: string[] = [];
  const viewport = options.viewport ?? { width: 1440, height: 900 };

  const open = async () => {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      locale: 'zh-CN',
      deviceScaleFactor: 1,
      acceptDownloads: options.browserDialogs === true,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().startsWith('Failed to load resource')) return; // reported with its URL above
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(harness.url);
    return { context, page };
  };

  let { context, page } = await open();
  const session: AppSession = {
    harness,
    get context() {
      return context;
    },
    get page() {
      return page;
    },
    profileDir,
    errors,
    async restart() {
      await context.close();
      ({ context, page } = await open());
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await harness.close();
      if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return session;
}
