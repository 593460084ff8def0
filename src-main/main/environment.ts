/**
 * Which environment variables main honours. The development ones point the window at another page
 * (ELECTRON_RENDERER_URL — and the IPC origin check then trusts that page for every channel) or the
 * app at another plan text (PILOT_DESK_SEED). An installed app ignores them: anyone who can set a
 * variable for the user's programs must not be able to hand the renderer's privileges to a page of
 * their own, which is what the disabled NODE_OPTIONS and RunAsNode fuses exist to prevent.
 */

/** Variables honoured only while developing (electron-vite dev/preview, tests), never when packaged. */
export const DEV_ONLY_VARIABLES = ['ELECTRON_RENDERER_URL', 'PILOT_DESK_SEED'] as const;

/** The environment main reads: `env` itself while developing, without the development variables when packaged. */
export function trustedEnvironment(env: NodeJS.ProcessEnv, isPackaged: boolean): NodeJS.ProcessEnv {
  if (!isPackaged) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of DEV_ONLY_VARIABLES) delete out[name];
  return out;
}
