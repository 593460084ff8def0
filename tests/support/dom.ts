/**
 * DOM-test set-up that several files need (not in tests/dom/setup.ts, so the other files keep
 * jsdom's own Blob).
 */
import { Blob as NodeBlob } from 'node:buffer';

/**
 * Replaces jsdom's Blob with Node's for this test file: fake-indexeddb cannot store jsdom's Blob (it
 * comes back empty), while Chromium stores real Blobs; evidence files and bundle attachments need it.
 */
export function useNodeBlob(): void {
  globalThis.Blob = NodeBlob as unknown as typeof Blob;
}

/** jsdom has no `matchMedia`; antd's responsive components ask it. A stub that never matches. */
export function useMatchMedia(): void {
  window.matchMedia ??= ((q: string) => ({
    matches: false,
    media: q,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
}
