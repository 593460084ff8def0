/**
 * Electron hardening as plain functions over the objects electron hands us, so tests can check
 * them with a mocked electron. See the Electron security checklist.
 */
import type { WebPreferences, WebContents, Session } from 'electron';
import { pathToFileURL } from 'node:url';
import { sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './appProtocol';

/** The webPreferences of every window: isolated, sandboxed, no Node, no webview. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click must not open links in new windows (Electron security checklist: Auxclick).
    disableBlinkFeatures: 'Auxclick',
  };
}

/**
 * Decides whether a URL is the app's own renderer: the built `index.html` under the renderer folder
 * (on `file://`, or on the app's own scheme `app://pilot-desk/`, which serves that folder only), or,
 * in development, the dev server's origin. Everything else (remote pages, other files,
 * `javascript:`, data URLs) is foreign.
 */
export function createOriginCheck(rendererDir: string, devServerUrl?: string): (url: string | undefined) => boolean {
  const base = pathToFileURL(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep).href;
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;
  return (url) => {
    if (!url) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol === 'file:') {
      const href = parsed.href.split('#')[0]!.split('?')[0]!;
      return href.startsWith(base) && !decodeURIComponent(parsed.pathname).includes('..');
    }
    if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
    return devOrigin !== null && parsed.origin === devOrigin;
  };
}

/** Only these may be opened in the system browser or mail client. */
export const EXTERNAL_ALLOWED_PROTOCOLS = ['https:', 'mailto:'] as const;

export function isSafeExternalUrl(url: string): boolean {
  try {
    const p = new URL(url);
    return (EXTERNAL_ALLOWED_PROTOCOLS as readonly string[]).includes(p.protocol);
  } catch {
    return false;
  }
}

/** Blocks navigation away from the app, new windows and webviews for one web contents. */
export function hardenWebContents(
  contents: WebContents,
  isAppUrl: (url: string) => boolean,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** The app asks for no permission (camera, notifications, geolocation …): deny every request and check. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
