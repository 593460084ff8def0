/**
 * The renderer's only way to main. In Electron it uses the preload's `window.pilotDesk`; in the
 * browser harness the same calls travel over a loopback HTTP bridge to the same handlers.
 */
import type { Channel, ChannelArgs, ChannelResult, MainEvent, MainEvents, OpenFileOptions, PreloadApi, SaveOutcome } from '../../../src-main/shared/ipc-contract';
import { decodeWire, encodeWire } from '../../../src-main/shared/wire';

declare global {
  interface Window {
    pilotDesk?: PreloadApi;
  }
}

/**
 * How the harness answers dialogs: `browser` when a person uses it (`npm run dev:web`: the file
 * picker and downloads), `queue` in tests. Asked once, before the first dialog, so the picker
 * still opens within the click that asked for it.
 */
let dialogMode: Promise<'browser' | 'queue'> | null = null;
const harnessDialogMode = () =>
  (dialogMode ??= fetch('./api/dialogs')
    .then((r) => r.json() as Promise<{ mode?: string }>)
    .then((m) => (m.mode === 'browser' ? 'browser' : 'queue'))
    .catch(() => 'queue' as const));

/** Lets the person pick a file in the browser and hands it to the harness for the next open dialog. */
async function pickIntoHarness(options: OpenFileOptions, multiple = false): Promise<void> {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = multiple;
  const exts = options.filters?.flatMap((f) => f.extensions) ?? [];
  if (exts.length) input.accept = exts.map((e) => `.${e}`).join(',');
  const files = await new Promise<File[]>((done) => {
    input.addEventListener('change', () => done([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => done([]), { once: true });
    input.click();
  });
  if (files.length === 0) {
    await fetch('./api/dialog/open', { method: 'POST', headers: { 'x-canceled': '1' } });
    return;
  }
  // Bigger than asked for: the real open dialog refuses it by size, without the bytes. Several
  // files go one request each, numbered, so the harness answers the dialog with all of them.
  for (let i = 0; i < files.length; i++) {
    const headers: Record<string, string> = { 'x-file-name': encodeURIComponent(files[i]!.name) };
    if (multiple) headers['x-many'] = `${i + 1}/${files.length}`;
    await fetch('./api/dialog/open', { method: 'POST', headers, body: files[i] });
  }
}

/** Downloads a file the harness saved "as a download" (browser dialogs). */
function downloadFromHarness(path: string): void {
  const name = path.split(/[\\/]/).pop() ?? '';
  const a = document.createElement('a');
  a.href = `./api/download/${encodeURIComponent(name)}`;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

const httpApi: PreloadApi = {
  async invoke(channel, ...args) {
    const browser =
      (channel === 'file:open' || channel === 'file:openMany' || channel === 'file:save' || channel === 'report:export' || channel === 'matrix:export' || channel === 'circular:export') &&
      (await harnessDialogMode()) === 'browser';
    if (browser && channel === 'file:open') await pickIntoHarness(args[0] as OpenFileOptions);
    if (browser && channel === 'file:openMany') await pickIntoHarness(args[0] as OpenFileOptions, true);
    const res = await fetch('./api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encodeWire({ channel, args }),
    });
    const result = decodeWire<Awaited<ReturnType<PreloadApi['invoke']>>>(await res.text());
    if (browser && channel !== 'file:open' && channel !== 'file:openMany' && result.ok) {
      const saved = result.value as SaveOutcome;
      if (!saved.canceled) downloadFromHarness(saved.path);
    }
    return result;
  },
  on(event, listener) {
    // The harness sends main's events as server-sent events on one stream per page.
    if (typeof EventSource === 'undefined') return () => {};
    const source = new EventSource('./api/events');
    const forward = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
    source.addEventListener(event, forward);
    return () => source.close();
  },
};

function transport(): PreloadApi {
  if (typeof window !== 'undefined' && window.pilotDesk) return window.pilotDesk;
  void harnessDialogMode();
  return httpApi;
}

/** Calls a main-side handler. Never throws for expected failures: check `result.ok`. */
export async function invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
  try {
    return await transport().invoke(channel, ...args);
  } catch (e) {
    return {
      ok: false,
      error: { code: 'ipc.unreachable', message: '无法连接后台服务，请重启本软件。', detail: String(e) },
    } as ChannelResult<C>;
  }
}

/** Listens to one of main's events (see MAIN_EVENTS); returns the function that stops listening. */
export function onMainEvent<E extends MainEvent>(event: E, listener: (payload: MainEvents[E]) => void): () => void {
  try {
    return transport().on(event, listener);
  } catch {
    return () => {};
  }
}
