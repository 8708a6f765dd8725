// gradgrid's library API: the neural-network engine and the shared experiment types.

export * from './nn/index.js';
export type * from './experiment/types.js';
