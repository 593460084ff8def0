#!/usr/bin/env node
/** Entry of the `pilot-desk` command (`npm run -s cli -- …`). */
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});
process.exitCode = code;
