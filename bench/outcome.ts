// Every measurement either produced numbers or says, in one line, why it could not.

/** The note of a measurement left out by the arguments of a selective run. */
export const NOT_SELECTED = 'not selected';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; note: string };

/** Runs a measurement; an exception becomes a note instead of ending the benchmark. */
export async function attempt<T>(label: string, measure: () => Promise<Outcome<T>> | Outcome<T>): Promise<Outcome<T>> {
  try {
    return await measure();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, note: `${label} failed: ${firstLine(message)}` };
  }
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
