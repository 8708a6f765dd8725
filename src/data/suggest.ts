// Message helpers for names typed by hand (CSV columns, iris features, class labels).
import { suggest } from '../text/suggest.js';

/** " (did you mean "x"?)" or "" — ready to append to a message. */
export function didYouMean(wanted: string, candidates: readonly string[]): string {
  const near = suggest(wanted, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
