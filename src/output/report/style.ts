// The page's only stylesheet, inlined: system fonts, a readable measure, light rules, status
// colours matching the charts, and print rules (no page breaks inside a chart or a table row).
import { STATUS_STYLES } from './theme.js';

const statusRules = Object.entries(STATUS_STYLES)
  .map(([status, { color }]) => `.status-${status} { color: ${color}; border-color: ${color}; }`)
  .join('\n');

export const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; padding: 2rem 1.5rem 3rem; color: #1f2328; background: #fff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1040px; margin: 0 auto; }
header { margin-bottom: 1rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 0.25rem; font-weight: 650; }
h1 .tool { color: #6a737d; font-weight: 400; font-size: 1rem; display: block; letter-spacing: 0.02em; }
h2 { font-size: 1.25rem; margin: 2.25rem 0 0.5rem; padding-top: 0.5rem; border-top: 1px solid #eaecef; font-weight: 620; }
h3 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; color: #444; font-weight: 600; }
p { margin: 0.4rem 0; }
.description { font-size: 1.05rem; color: #333; }
.lead { color: #444; }
nav { font-size: 0.9rem; margin: 0.75rem 0 0; }
nav a { color: #0b5cad; text-decoration: none; margin-right: 1.1rem; white-space: nowrap; }
nav a:hover { text-decoration: underline; }
.warning { background: #fff4e5; border: 1px solid #f0b45a; border-radius: 6px; padding: 0.6rem 0.9rem; margin: 1rem 0; }
.how-to-read { color: #444; max-width: 52rem; font-size: 0.95rem; }
.empty { color: #666; font-style: italic; }
figure.chart { margin: 0.75rem 0 0; }
/* Sections below the first are laid out when scrolled to: a 1 000-run report opens quickly. */
section + section { content-visibility: auto; contain-intrinsic-size: auto 900px; }
.chart-svg { overflow-x: auto; }
.chart-svg svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #586069; font-size: 0.85rem; margin-top: 0.35rem; max-width: 52rem; }
figcaption p { margin: 0.15rem 0; }
.notes { color: #586069; font-size: 0.85rem; }
.table-wrap { overflow-x: auto; }
table.summary { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; margin-top: 0.5rem; }
table.summary th, table.summary td { padding: 0.28rem 0.7rem; border-bottom: 1px solid #eaecef; text-align: left; white-space: nowrap; vertical-align: top; }
table.summary th { white-space: normal; }
table.summary td.text { white-space: normal; overflow-wrap: anywhere; }
table.summary td.error { min-width: 11rem; }
table.summary th { border-bottom: 2px solid #d0d7de; font-weight: 600; background: #fafbfc; position: sticky; top: 0; }
table.summary .num { text-align: right; }
table.summary tbody tr:nth-child(even) { background: #fbfbfc; }
table.summary tr.best { background: #eef8ee; }
table.summary tr.best td:first-child { box-shadow: inset 3px 0 0 #2e7d32; }
.status { display: inline-block; padding: 0 0.45rem; border: 1px solid; border-radius: 999px; font-size: 0.8rem; font-weight: 600; line-height: 1.45; }
.status-other { color: #666; border-color: #999; }
${statusRules}
pre.source {
  background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 6px; padding: 0.8rem 1rem; overflow-x: auto;
  font: 0.85rem/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; tab-size: 2;
}
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1.25rem; font-size: 0.92rem; margin: 0.5rem 0; }
dl.facts dt { color: #586069; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0 2.5rem; }
footer { margin-top: 3rem; color: #6a737d; font-size: 0.8rem; border-top: 1px solid #eaecef; padding-top: 0.6rem; }
@media print {
  body { padding: 0; font-size: 11pt; }
  main { max-width: none; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure.chart, tr, dl.facts { break-inside: avoid; }
  .chart-svg, .table-wrap { overflow: visible; }
  pre.source { white-space: pre-wrap; overflow-wrap: anywhere; }
  table.summary th { position: static; }
  a { color: inherit; text-decoration: none; }
}
`;
