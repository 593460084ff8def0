/**
 * Report charts as pictures: the shared ECharts option objects (`shared/report/charts.ts`) are
 * rendered with ECharts' server-side SVG renderer (no DOM, no browser) and rasterised to PNG with
 * resvg (`@resvg/resvg-js`, prebuilt N-API binaries shipped inside the npm packages, no network at
 * install). Word embeds the PNG: every version of Word and LibreOffice shows it, whereas SVG in
 * .docx is Word 2016+ only and its SVG engine handles ECharts' text poorly.
 *
 * resvg draws text with fonts we hand it, so the Chinese labels need a CJK font file:
 * `findCjkFont()` walks a list of candidates (Debian/Ubuntu Noto CJK and WenQuanYi, Fedora/Arch
 * Noto, macOS PingFang/Heiti, Windows 微软雅黑/黑体/宋体), with `PILOT_DESK_CJK_FONT` first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ChartSpec } from '../../shared/report/charts';
import { subsetFontFile } from './fontSubset';

// ECharts' CommonJS build (one file): Node's ESM entry of `echarts` loads hundreds of modules, which
// took ~1 s and ~60 MB more at start-up (BENCHMARKS.md, docx).
const echarts = createRequire(import.meta.url)('echarts') as typeof import('echarts');

export interface FontCandidate {
  path: string;
  /** Family name inside the file, used as the chart's font family. */
  family: string;
}

export function cjkFontCandidates(env: NodeJS.ProcessEnv = process.env): FontCandidate[] {
  const win = env.WINDIR || env.windir || 'C:\\Windows';
  const list: FontCandidate[] = [];
  if (env.PILOT_DESK_CJK_FONT) list.push({ path: env.PILOT_DESK_CJK_FONT, family: env.PILOT_DESK_CJK_FONT_FAMILY || '' });
  list.push(
    { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
    { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
    { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
    { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'Noto Serif CJK SC' },
    { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
    { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYi Zen Hei' },
    { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFang SC' },
    { path: '/System/Library/Fonts/STHeiti Light.ttc', family: 'Heiti SC' },
    { path: join(win, 'Fonts', 'msyh.ttc'), family: 'Microsoft YaHei' },
    { path: join(win, 'Fonts', 'simhei.ttf'), family: 'SimHei' },
    { path: join(win, 'Fonts', 'simsun.ttc'), family: 'SimSun' },
  );
  return list;
}

/** The first CJK font file that exists, or null (charts then show only what system fonts can). */
export function findCjkFont(candidates: FontCandidate[] = cjkFontCandidates(), exists: (p: string) => boolean = existsSync): FontCandidate | null {
  return candidates.find((c) => c.path && exists(c.path)) ?? null;
}

let cachedFont: FontCandidate | null | undefined;

/** ECharts SSR → SVG string. */
export function chartSvg(spec: ChartSpec, fontFamily?: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    const option = fontFamily ? { ...spec.option, textStyle: { ...(spec.option.textStyle as object), fontFamily } } : spec.option;
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export interface ChartImage {
  id: string;
  caption: string;
  png: Uint8Array;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  /** True when a CJK font was found (otherwise Chinese labels may be missing). */
  cjkFont: boolean;
}

function resvgOptions(scale: number): { options: ResvgRenderOptions; font: FontCandidate | null } {
  if (cachedFont === undefined) cachedFont = findCjkFont();
  const font = cachedFont;
  return {
    font,
    options: {
      fitTo: { mode: 'zoom', value: scale },
      background: '#ffffff',
      font: font
        ? { fontFiles: [font.path], loadSystemFonts: false, defaultFontFamily: font.family || undefined }
        : { loadSystemFonts: true },
    },
  };
}

/** Renders a chart to PNG at `scale` × its natural size. */
export function renderChartPng(spec: ChartSpec, scale = 2.5): ChartImage {
  const { font, options } = resvgOptions(scale);
  const svg = chartSvg(spec, font?.family || undefined);
  const img = new Resvg(svg, options).render();
  return { id: spec.id, caption: spec.caption, png: new Uint8Array(img.asPng()), width: img.width, height: img.height, cjkFont: !!font };
}

/**
 * The same pictures as `renderChartPng`, rasterised on libuv's thread pool (resvg's `renderAsync`,
 * beside the document's layout) with the CJK font cut down to the characters of these charts
 * (`fontSubset.ts`: resvg reads its font again for every label, which with the whole 20 MB file
 * was most of a report's time). If the font cannot be cut, the whole file is used, as before.
 */
export async function renderChartPngsAsync(specs: readonly ChartSpec[], scale = 2.5): Promise<ChartImage[]> {
  const { font, options } = resvgOptions(scale);
  if (specs.length === 0) return [];
  const svgs = specs.map((s) => chartSvg(s, font?.family || undefined));
  let opts = options;
  // resvg's Node binding takes fonts as files only: the cut-down font goes into a folder of its own
  // in the temp directory for as long as the charts are drawn.
  let dir: string | null = null;
  if (font) {
    try {
      const cut = await subsetFontFile(font.path, font.family, svgs.join(''));
      dir = await mkdtemp(join(tmpdir(), 'pilot-desk-charts-'));
      const file = join(dir, 'charts.otf');
      await writeFile(file, cut.font);
      opts = { ...options, font: { fontFiles: [file], loadSystemFonts: false, defaultFontFamily: cut.family || undefined } };
    } catch {
      // the whole file, as resvgOptions gives it
    }
  }
  try {
    return await Promise.all(
      specs.map(async (spec, i) => {
        const img = await renderAsync(svgs[i]!, opts);
        return { id: spec.id, caption: spec.caption, png: new Uint8Array(img.asPng()), width: img.width, height: img.height, cjkFont: !!font };
      }),
    );
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
