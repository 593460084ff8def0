/** Development variables reach main only while developing; an installed app drops them. */
import { describe, expect, it } from 'vitest';
import { DEV_ONLY_VARIABLES, trustedEnvironment } from '../../src-main/main/environment';

describe('trustedEnvironment', () => {
  const env = { ELECTRON_RENDERER_URL: 'https://evil.example/', PILOT_DESK_SEED: '/tmp/other.txt', PILOT_DESK_CJK_FONT: '/fonts/a.ttc', PATH: '/usr/bin' };

  it('drops every development variable when packaged and keeps the rest', () => {
    const out = trustedEnvironment(env, true);
    for (const name of DEV_ONLY_VARIABLES) expect(out[name], name).toBeUndefined();
    expect(out).toEqual({ PILOT_DESK_CJK_FONT: '/fonts/a.ttc', PATH: '/usr/bin' });
    expect(env.ELECTRON_RENDERER_URL).toBe('https://evil.example/');
  });

  it('keeps them while developing (electron-vite dev points the window at its server)', () => {
    expect(trustedEnvironment(env, false).ELECTRON_RENDERER_URL).toBe('https://evil.example/');
  });
});
