/** The English catalogue is complete: every Chinese string has an English one with the same placeholders. */
import { describe, expect, it } from 'vitest';
import zhCN from '../../src-renderer/src/i18n/zh-CN';
import en from '../../src-renderer/src/i18n/en';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  const zh = flatten(zhCN as Tree);
  const eng = flatten(en as Tree);
  it('have the same keys', () => {
    expect([...eng.keys()].sort()).toEqual([...zh.keys()].sort());
  });
  it('have no empty strings and the same placeholders', () => {
    for (const [key, text] of zh) {
      const e = eng.get(key)!;
      expect(text.trim(), key).not.toBe('');
      expect(e.trim(), key).not.toBe('');
      expect(placeholders(e), key).toEqual(placeholders(text));
    }
  });
  it('keep Chinese in the Chinese catalogue', () => {
    const chinese = [...zh.values()].filter((s) => /[\u4e00-\u9fff]/.test(s)).length;
    expect(chinese / zh.size).toBeGreaterThan(0.9);
  });
});
