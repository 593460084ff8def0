/**
 * electron-builder.yml: the packaged app has the fixed app id, packs only the build, ships the seed
 * where main looks for it, and flips every Electron fuse to its safe value.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
const mainSource = readFileSync('src-main/main/index.ts', 'utf8');

/** Every fuse the config sets, with the value that closes it. */
const SAFE_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
} as const;

describe('electron-builder.yml', () => {
  it('has the fixed app id that main also uses', () => {
    expect(config.appId).toBe('cn.gov.nanjing.pilotdesk');
    expect(mainSource).toContain("setAppUserModelId('cn.gov.nanjing.pilotdesk')");
    expect(String(config.productName)).toMatch(/Pilot Desk/);
  });

  it('packs the build into app.asar and the seed as a resource', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
    expect((config.files as string[]).every((f) => f.startsWith('out/') || f.startsWith('!out/'))).toBe(true);
    // main looks for <resourcesPath>/seeds/<file> (services/corpus.ts).
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'seeds', to: 'seeds' })]);
  });

  it('sets every fuse to its safe value', () => {
    const fuses = config.electronFuses as Record<string, unknown>;
    expect(fuses).toBeTypeOf('object');
    for (const [fuse, safe] of Object.entries(SAFE_FUSES)) expect(fuses[fuse], fuse).toBe(safe);
    // Nothing else, so a misspelt key (which electron-builder would ignore) cannot pass for a fuse.
    expect(Object.keys(fuses).sort()).toEqual([...Object.keys(SAFE_FUSES), 'grantFileProtocolExtraPrivileges'].sort());
  });

  it('keeps file:// privileges only while the page is loaded from file://', () => {
    // The page comes from file://…/app.asar via loadFile(); without this fuse Electron cannot serve it
    // from the asar and module scripts lose CORS access: a blank app. Once main serves the page from a
    // custom protocol, the fuse must be turned off (the safe value).
    const fuse = (config.electronFuses as Record<string, unknown>).grantFileProtocolExtraPrivileges;
    const loadsFromFile = /\.loadFile\(/.test(mainSource);
    expect(fuse).toBe(loadsFromFile);
  });
});
