// Injected into the CommonJS bundles (bundle.mjs) for import.meta.url: the URL of the file that is
// running, from the CommonJS wrapper's __filename (launch/cached-bundle.ts gives the bundle's own).
import { pathToFileURL } from 'node:url';

export const bundleFileUrl = pathToFileURL(__filename).href;
