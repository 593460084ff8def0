/**
 * The renderer's only way to main. In Electron it uses the preload's `window.pilotDesk`; in the
 * browser harness the same calls travel over a loopback HTTP bridge to the same handlers.
 */
import type { Channel, ChannelArgs, ChannelResult, MainEvent, MainEvents, PreloadApi } from '../../../src-main/shared/ipc-contract';
import { decodeWire, encodeWire } from '../../../src-main/shared/wire';

declare global {
  interface Window {
    pilotDesk?: PreloadApi;
  }
}

const httpApi: PreloadApi = {
  async invoke(channel, ...args) {
    const res = await fetch('./api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encodeWire({ channel, args }),
    });
    return decodeWire(await res.text());
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
  return typeof window !== 'undefined' && window.pilotDesk ? window.pilotDesk : httpApi;
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
