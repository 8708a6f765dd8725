// vega and vega-lite, loaded with require(): both are CommonJS packages, and imported from an ES
// module Node first scans the source of every one of their modules for its export names, which
// took more than half of their loading time (380 ms against 150 ms on the 2-core dev machine).
import { createRequire } from 'node:module';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';

const require = createRequire(import.meta.url);

export const vega = require('vega') as typeof Vega;
export const vegaLite = require('vega-lite') as typeof VegaLite;
