/**
 * The app's version, from package.json, for what runs without Electron (the command line, the
 * browser harness); Electron's `app.getVersion()` reads the same field. It goes into the manifests of
 * bundles the CLI writes and into the 说明 line of its reports.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** `version` of the pilot-desk package.json (npm's own variable when run by npm), else 0.0.0. */
export function appVersion(): string {
  if (process.env.npm_package_version) return process.env.npm_package_version;
  if (cached) return cached;
  // From src-main/main/services, or from the built out/main (and its chunks folder).
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../..', '../..', '..']) {
    const p = resolve(here, up, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pilot-desk' && pkg.version) return (cached = pkg.version);
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
