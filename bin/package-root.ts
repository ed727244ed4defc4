import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The replaylab package folder (where package.json and data/samples live), found by walking up
 * from this file, so it works from the TypeScript sources and from the compiled `dist/`.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'samples'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the replaylab package folder (package.json with data/samples)');
    dir = parent;
  }
}
