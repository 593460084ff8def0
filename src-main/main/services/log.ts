/**
 * A small rotating log file for the main process, in the user-data folder. Plain Node, no electron.
 *
 * Each entry is one JSON line: { time, level, message, detail }. The current file is
 * `pilot-desk.log`; when the next line would take it past `maxBytes` it becomes `pilot-desk.1.log`,
 * the older ones move up one number and the oldest beyond `keep` is deleted.
 *
 * What goes in: event codes and error messages, never annotation contents. `detail` keeps only
 * flat values (strings, numbers, booleans) and errors (name, message, stack); objects and arrays
 * are written as `[object]` / `[array]`, so passing a record by mistake cannot copy its text into
 * the log. Long strings are cut.
 *
 * Logging never throws and never stops the app: a disk error is reported once on stderr and the
 * entry is dropped.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** Folder of the log files; created on first write. */
  dir: string;
  /** Size at which the current file is rotated. Default 1 MB. */
  maxBytes?: number;
  /** How many rotated files are kept (pilot-desk.1.log … pilot-desk.{keep}.log). Default 5. */
  keep?: number;
  /** For tests. */
  now?: () => Date;
  /** Where disk errors are reported. Default process.stderr. */
  stderr?: (text: string) => void;
}

export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  /** Path of the current log file. */
  readonly file: string;
}

export const LOG_BASENAME = 'pilot-desk';
const MAX_STRING = 2000;
const MAX_KEYS = 30;

/** `pilot-desk.log` for 0, `pilot-desk.{n}.log` for a rotated file. */
export function logFileName(n = 0): string {
  return n === 0 ? `${LOG_BASENAME}.log` : `${LOG_BASENAME}.${n}.log`;
}

function cut(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…(+${s.length - MAX_STRING})` : s;
}

function describeError(e: Error): Record<string, string> {
  const out: Record<string, string> = { name: e.name, message: cut(e.message) };
  if (e.stack) out.stack = cut(e.stack);
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = String(code);
  return out;
}

function flatValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return cut(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Error) return describeError(v);
  if (Array.isArray(v)) return '[array]';
  return `[${typeof v}]`;
}

/** Turns whatever a caller passed into flat, bounded, JSON-safe detail. */
export function sanitizeDetail(detail: unknown): unknown {
  if (detail === undefined) return undefined;
  if (detail instanceof Error) return { error: describeError(detail) };
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { value: flatValue(detail) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail as Record<string, unknown>).slice(0, MAX_KEYS)) out[k] = flatValue(v);
  return out;
}

export function createLogger(options: LoggerOptions): Logger {
  const { dir } = options;
  const maxBytes = Math.max(1, options.maxBytes ?? 1024 * 1024);
  const keep = Math.max(0, Math.floor(options.keep ?? 5));
  const now = options.now ?? (() => new Date());
  const stderr =
    options.stderr ??
    ((text: string) => {
      try {
        process.stderr.write(text);
      } catch {
        // nowhere left to report
      }
    });
  const file = join(dir, logFileName());
  let size: number | null = null; // bytes in the current file, read once
  let failedBefore = false;

  function currentSize(): number {
    if (size === null) {
      mkdirSync(dir, { recursive: true });
      try {
        size = statSync(file).size;
      } catch {
        size = 0;
      }
    }
    return size;
  }

  function rotate(): void {
    rmSync(join(dir, logFileName(keep)), { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      try {
        renameSync(join(dir, logFileName(n)), join(dir, logFileName(n + 1)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    if (keep > 0) renameSync(file, join(dir, logFileName(1)));
    else rmSync(file, { force: true });
    size = 0;
  }

  function write(level: LogLevel, message: string, detail: unknown): void {
    try {
      const entry: Record<string, unknown> = { time: now().toISOString(), level, message: cut(String(message)) };
      const d = sanitizeDetail(detail);
      if (d !== undefined) entry.detail = d;
      const line = `${JSON.stringify(entry)}\n`;
      const bytes = Buffer.byteLength(line);
      if (currentSize() > 0 && currentSize() + bytes > maxBytes) rotate();
      appendFileSync(file, line);
      size = currentSize() + bytes;
      failedBefore = false;
    } catch (e) {
      size = null; // re-read the size next time; the disk may have come back
      if (!failedBefore) {
        failedBefore = true;
        stderr(`[pilot-desk log] could not write ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }

  return {
    file,
    info: (message, detail) => write('info', message, detail),
    warn: (message, detail) => write('warn', message, detail),
    error: (message, detail) => write('error', message, detail),
  };
}
