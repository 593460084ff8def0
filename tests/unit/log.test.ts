/** The rotating log file of the main process (src-main/main/services/log.ts). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, logFileName, sanitizeDetail } from '../../src-main/main/services/log';

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'log-test-'));
  temps.push(d);
  return d;
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('appends one JSON line per entry with time, level, message and detail', () => {
    const dir = join(tempDir(), 'logs'); // created on first write
    const log = createLogger({ dir, now: () => new Date('2025-03-01T08:00:00.000Z') });
    log.info('app.start', { version: '1.2.3', pid: 42 });
    log.warn('ipc.forbidden_sender');
    log.error('ipc.internal', new TypeError('boom'));
    expect(log.file).toBe(join(dir, 'pilot-desk.log'));
    const [a, b, c] = lines(log.file);
    expect(a).toEqual({ time: '2025-03-01T08:00:00.000Z', level: 'info', message: 'app.start', detail: { version: '1.2.3', pid: 42 } });
    expect(b).toEqual({ time: '2025-03-01T08:00:00.000Z', level: 'warn', message: 'ipc.forbidden_sender' });
    expect(c!.level).toBe('error');
    expect(c!.detail).toMatchObject({ error: { name: 'TypeError', message: 'boom' } });
    expect(String((c!.detail as { error: { stack: string } }).error.stack)).toMatch(/TypeError: boom/);
  });

  it('rotates past maxBytes, keeps exactly `keep` old files, and the newest lines are in the current file', () => {
    const dir = tempDir();
    const maxBytes = 1000;
    const keep = 3;
    const log = createLogger({ dir, maxBytes, keep });
    const total = 400;
    for (let i = 0; i < total; i++) log.info('tick', { i });

    const files = readdirSync(dir).sort();
    expect(files).toEqual([logFileName(0), logFileName(1), logFileName(2), logFileName(3)].sort());
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(maxBytes);

    // Reading .3 → .2 → .1 → current gives an unbroken, increasing run that ends with the last entry.
    const seq = [3, 2, 1, 0].flatMap((n) => lines(join(dir, logFileName(n))).map((l) => (l.detail as { i: number }).i));
    expect(seq.at(-1)).toBe(total - 1);
    for (let k = 1; k < seq.length; k++) expect(seq[k]).toBe(seq[k - 1]! + 1);
    expect(lines(log.file).at(-1)!.detail).toEqual({ i: total - 1 });
  });

  it('continues an existing file after a restart and rotates it by its size on disk', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pilot-desk.log'), `${JSON.stringify({ level: 'info', message: 'old' })}\n`.repeat(20));
    const before = statSync(join(dir, 'pilot-desk.log')).size;
    const log = createLogger({ dir, maxBytes: before + 10, keep: 2 });
    log.info('new after restart');
    expect(lines(join(dir, logFileName(1)))).toHaveLength(20);
    expect(lines(log.file).map((l) => l.message)).toEqual(['new after restart']);
  });

  it('with keep = 0 starts the file afresh instead of keeping old ones', () => {
    const dir = tempDir();
    const log = createLogger({ dir, maxBytes: 200, keep: 0 });
    for (let i = 0; i < 50; i++) log.info('tick', { i });
    expect(readdirSync(dir)).toEqual(['pilot-desk.log']);
    expect(lines(log.file).at(-1)!.detail).toEqual({ i: 49 });
  });

  it('never throws on a disk error: it reports once on stderr and drops the entry', () => {
    const dir = tempDir();
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    const reported: string[] = [];
    const log = createLogger({ dir: join(notADir, 'logs'), stderr: (t) => reported.push(t) });
    expect(() => {
      log.info('a');
      log.error('b', new Error('c'));
      log.warn('d');
    }).not.toThrow();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/could not write/);
  });

  it('never copies a record’s contents into the log: objects and arrays become placeholders', () => {
    const annotation = { taskId: 'T1-09', progressText: '本区已完成试点任务的全部推进工作' };
    expect(sanitizeDetail({ channel: 'file:save', annotation, list: ['secret'] })).toEqual({
      channel: 'file:save',
      annotation: '[object]',
      list: '[array]',
    });
    // A long string is cut, so one call cannot fill the file.
    const long = sanitizeDetail({ s: 'x'.repeat(10_000) }) as { s: string };
    expect(long.s.length).toBeLessThan(2100);
    const dir = tempDir();
    const log = createLogger({ dir });
    log.error('ipc.internal', { channel: 'file:save', annotation });
    expect(readFileSync(log.file, 'utf8')).not.toContain('本区已完成');
  });
});
