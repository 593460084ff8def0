/**
 * A Chromium process that the test owns, so it can be killed hard (SIGKILL, no shutdown) the way
 * a power cut or a crash ends the app; Playwright drives it over CDP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './app';

export interface OwnedBrowser {
  process: ChildProcess;
  browser: Browser;
  page: Page;
  /** SIGKILL to the whole process group: no unload handlers, no clean shutdown. */
  kill(): Promise<void>;
}

export async function launchOwned(profileDir: string, url: string): Promise<OwnedBrowser> {
  const proc = spawn(
    CHROMIUM,
    [...CHROMIUM_ARGS, '--headless', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', '--window-size=1280,900', 'about:blank'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ws = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${buf}`)), 30_000);
    proc.stderr!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${buf}`)));
  });
  const browser = await chromium.connectOverCDP(ws);
  const context = browser.contexts()[0]!;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  return {
    process: proc,
    browser,
    page,
    async kill() {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        proc.kill('SIGKILL');
      }
      await exited;
      await browser.close().catch(() => {});
    },
  };
}
