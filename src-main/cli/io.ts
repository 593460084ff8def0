/**
 * Where a command writes: the process's stdout and stderr in the `pilot-desk` bin, buffers in tests.
 * Its own module, so the command modules that `run.ts` loads need not import `run.ts` back.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}
