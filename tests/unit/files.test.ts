/** Main-side file services, and the origin record that guards against opening an empty database. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src-main/main/services/files';
import { createOriginMove } from '../../src-main/main/services/originMove';
import { normaliseFileName } from '../../src-main/shared/evidence/fileType';

describe('origin record', () => {
  it('records the first origin and keeps answering it, across restarts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'origin-')), 'storage-origin.json');
    // A new record each time: main reads the file again on every start.
    const record = () => createOriginMove({ file, backupNames: async () => [], loadScheme: () => {}, loadFile: () => {} });
    expect((await record().storageOrigin('file://')).expected).toBe('file://');
    expect((await record().storageOrigin('app://pilot-desk')).expected).toBe('file://');
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

describe('writeFileAtomic', () => {
  it('writes the bytes, and a failed save says why in Chinese and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const ok = await writeFileAtomic(join(dir, '报告.docx'), new Uint8Array([1, 2, 3]));
    expect(ok.ok).toBe(true);
    expect([...readFileSync(join(dir, '报告.docx'))]).toEqual([1, 2, 3]);
    // The target is a folder: the temporary file is written, the rename onto the folder fails.
    mkdirSync(join(dir, '台账.xlsx'));
    const r = await writeFileAtomic(join(dir, '台账.xlsx'), new Uint8Array([4]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^无法保存文件（.+）：台账\.xlsx$/);
    expect(readdirSync(dir).sort()).toEqual(['台账.xlsx', '报告.docx'].sort());
  });
});
