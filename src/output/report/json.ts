// Safe reading of loosely typed JSON (manifest.json, run records written by any version):
// a missing or mistyped field reads as undefined instead of throwing.

export type Json = unknown;

export function at(value: Json, ...path: (string | number)[]): Json {
  let current: Json = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key];
  }
  return current;
}

export function asString(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: Json): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: Json): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asArray(value: Json): Json[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asRecord(value: Json): Record<string, Json> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : undefined;
}

export function asStringArray(value: Json): string[] | undefined {
  const array = asArray(value);
  return array && array.every((item) => typeof item === 'string') ? (array as string[]) : undefined;
}
