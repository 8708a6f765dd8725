// Compiles a Vega-Lite spec and renders it to an SVG string in Node, with no browser and no
// canvas package: the same SVG a browser would draw, inlined into the report.
import type { TopLevelSpec } from 'vega-lite';
import { estimateTextWidth, isBold } from './text-width.js';
import { vega, vegaLite } from './vega-libraries.js';

interface TextItem {
  fontSize?: number;
  fontWeight?: unknown;
}
interface VegaTextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

// vega-scenegraph reads this hook whenever it needs a text width; replacing its crude default
// is the documented way for canvas-less renderers (vl-convert does the same).
const textMetrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
textMetrics.width = (item, text) =>
  estimateTextWidth(text == null ? '' : String(text).trim(), item.fontSize ?? 11, isBold(item.fontWeight));

/** Collects the warnings of Vega-Lite and Vega instead of printing them. */
function collectingLogger(warnings: string[]) {
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
  };
  return logger;
}

/**
 * Vega numbers its clip paths and gradients per process, so ids differ between renders and
 * several SVGs inline in one page could share one. Renumbering every id in order of appearance,
 * under a prefix per chart, keeps each chart's own and makes the same input give the same page.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  const rename = (id: string) => {
    if (!ids.has(id)) ids.set(id, `${prefix}-${ids.size + 1}`);
    return ids.get(id)!;
  };
  return svg.replace(/\bid="([^"]+)"|url\(#([^)]+)\)/g, (_, defined?: string, used?: string) =>
    defined !== undefined ? `id="${rename(defined)}"` : `url(#${rename(used!)})`,
  );
}

/**
 * Renders one chart. Warnings (a spec that Vega-Lite had to second-guess) are appended to
 * `warnings` so the caller and the tests can see them. `idPrefix` makes the SVG's ids unique in the page.
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix: string, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(warnings);
  const compiled = vegaLite.compile(spec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger as never });
  try {
    return prefixSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
