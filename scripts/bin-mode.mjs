// Marks the package's command-line entry points executable after a build. `tsc` writes them as
// plain files (mode 644), and `npx replaylab` in this folder runs the file itself: without the
// executable bit it fails with "Permission denied" (seen after `npm test` rebuilt dist/).
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const [name, file] of Object.entries(typeof bin === 'string' ? { bin } : bin)) {
  const path = join(root, file);
  if (!existsSync(path)) {
    console.error(`bin-mode: ${name} → ${file} is missing after the build`);
    process.exit(1);
  }
  chmodSync(path, 0o755);
}
