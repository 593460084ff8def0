/** Main-side file services: the origin record that guards against opening an empty database. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOriginRecord } from '../../src-main/main/services/files';
import { normaliseFileName } from '../../src-main/shared/evidence/fileType';

describe('origin record', () => {
  it('records the first origin and keeps answering it, across restarts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'origin-')), 'storage-origin.json');
    expect(await createOriginRecord(file)('file://')).toBe('file://');
    expect(await createOriginRecord(file)('app://pilot-desk')).toBe('file://');
    expect(JSON.parse(readFileSync(file, 'utf8')).origin).toBe('file://');
  });
});

describe('normaliseFileName', () => {
  it.each([
    ['../../etc/passwd', '_.._etc_passwd'],
    ['C:\\Windows\\evil.txt', 'C__Windows_evil.txt'],
    ['报告\u0000.pdf', '报告.pdf'],
    ['   ', 'attachment'],
    ['.hidden', 'hidden'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseFileName(input)).toBe(expected);
  });
});
