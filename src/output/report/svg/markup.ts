// SVG text for the charts: elements with attributes, and numbers written short and the same way
// every time (two decimals at most), so the same chart gives the same bytes.
import { escapeHtml } from '../html.js';

/** A coordinate or length for an attribute: at most two decimals, no "-0". */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export type Attributes = Record<string, string | number | undefined | null>;

function attributeText(attributes: Attributes): string {
  let text = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    text += ` ${name}="${typeof value === 'number' ? px(value) : escapeHtml(value)}"`;
  }
  return text;
}

/** `<tag attributes>children</tag>`, or `<tag attributes/>` without children. Children are markup already. */
export function element(tag: string, attributes: Attributes, children?: string | string[]): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner === undefined || inner === '' ? `<${tag}${attributeText(attributes)}/>` : `<${tag}${attributeText(attributes)}>${inner}</${tag}>`;
}

/** A group; `className` follows Vega's names (role-axis, role-legend-label, ...), which the tests and readers look for. */
export function group(className: string | null, children: string[], attributes: Attributes = {}): string {
  if (children.length === 0) return '';
  return element('g', { class: className, ...attributes }, children);
}

export interface TextStyle {
  size: number;
  weight?: number;
  colour: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Where y lies on the text: its baseline (default), its middle or its top. */
  baseline?: 'alphabetic' | 'middle' | 'top';
  rotate?: number;
}

/** One line of text at (x, y). */
export function text(x: number, y: number, content: string, style: TextStyle): string {
  const dy = style.baseline === 'middle' ? '0.35em' : style.baseline === 'top' ? '0.8em' : undefined;
  const transform = style.rotate ? `translate(${px(x)},${px(y)}) rotate(${style.rotate})` : undefined;
  return element(
    'text',
    {
      x: transform ? undefined : x,
      y: transform ? undefined : y,
      transform,
      dy,
      'text-anchor': style.anchor && style.anchor !== 'start' ? style.anchor : undefined,
      'font-size': style.size,
      'font-weight': style.weight,
      fill: style.colour,
    },
    escapeHtml(content),
  );
}
