// Vitest's global setup: writes src/experiment/schema-validator.generated.ts from the schema as it
// is now (the file is not committed; `npm run build` writes it too), so that running a test file
// alone never sees a missing or stale validator.
import { writeValidator } from '../../scripts/schema-validator.mjs';

export default async function setup(): Promise<void> {
  await writeValidator();
}
