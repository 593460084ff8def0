/**
 * The renderer's only way to main. In Electron it uses the preload's `window.pilotDesk`; in the
 * browser harness the same calls travel over a loopback HTTP bridge to the same handlers.
 */
import type { Channel, ChannelArgs, ChannelResult, PreloadApi } from '../../../src-main/shared/ipc-contract';
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
