/** "1 run", "3 runs": a count with its noun, in the plural unless the count is one. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
