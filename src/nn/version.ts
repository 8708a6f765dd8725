// Part of every run's content hash: bump it whenever a change could alter any trained number,
// so results computed by an older engine are never mistaken for current ones.
export const ENGINE_VERSION = '1';
