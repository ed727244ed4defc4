#!/usr/bin/env node
// Checks that imports flow the way DESIGN.md says, and that engine/ stays deterministic and I/O-free.
// Exits 1 listing every violation as file:line: problem.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootFlag = process.argv.indexOf('--root');
const root = rootFlag > 0 ? resolve(process.argv[rootFlag + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folder → folders it may import from (besides itself and node built-ins, where allowed). */
const ALLOWED = {
  engine: [],
  strategies: ['engine'],
  data: ['engine'],
  experiments: ['engine', 'strategies', 'data'],
  reports: ['engine', 'experiments'],
  live: ['engine', 'strategies', 'data'],
  bin: ['engine', 'strategies', 'data', 'experiments', 'reports', 'live', 'index.ts'],
  bench: ['engine', 'strategies', 'data', 'experiments', 'bin'],
  test: ['engine', 'strategies', 'data', 'experiments', 'reports', 'live', 'bin', 'index.ts'],
};
/** Node built-ins engine/ may use: crypto hashing only (deterministic, no I/O). */
const ENGINE_BUILTINS = new Set(['node:crypto']);
/** Packages engine/ may use (pure computation). */
const ENGINE_PACKAGES = new Set(['simple-statistics']);
const FORBIDDEN_IN_ENGINE = [
  [/\bDate\.now\s*\(/, 'reads the wall clock (Date.now) — take time from the Clock / bar timestamps'],
  [/\bnew Date\s*\(\s*\)/, 'reads the wall clock (new Date()) — take time from the Clock / bar timestamps'],
  [/\bMath\.random\s*\(/, 'uses Math.random — use the seeded Rng (engine/rng.ts)'],
  [/\bperformance\.now\s*\(/, 'reads a timer (performance.now)'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'uses timers — the engine is driven by bars, not time'],
  [/\bprocess\.(env|hrtime|argv|stdout|stderr)\b/, 'touches the process — keep engine/ free of I/O'],
  [/\brequire\s*\(/, 'uses require — ESM imports only'],
];

const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) check(path);
  }
}

function check(path) {
  const rel = relative(root, path);
  const top = rel.includes(sep) ? rel.split(sep)[0] : rel;
  const allowed = ALLOWED[top];
  if (allowed === undefined) return;
  const isTest = /\.test\.ts$|test-support\.ts$/.test(rel);
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const where = `${rel}:${i + 1}`;
    for (const m of line.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(path), spec));
        const targetTop = target.includes(sep) ? target.split(sep)[0] : target.replace(/\.js$/, '.ts');
        if (targetTop !== top && !allowed.includes(targetTop)) problems.push(`${where}: ${top}/ must not import from ${targetTop} (${spec}) — see DESIGN.md "Layout"`);
      } else if (top === 'engine' && !isTest) {
        const bare = spec.startsWith('node:') ? spec : spec.split('/')[0];
        const builtin = spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'url'].includes(bare);
        if (builtin ? !ENGINE_BUILTINS.has(spec) : !ENGINE_PACKAGES.has(bare)) {
          problems.push(`${where}: engine/ must not import ${spec} — engine/ is pure computation (no I/O, no ambient state)`);
        }
      }
    }
    if (top === 'engine' && !isTest) {
      const code = line.replace(/\/\/.*$/, '');
      if (/^\s*\*/.test(code)) return;
      for (const [pattern, why] of FORBIDDEN_IN_ENGINE) if (pattern.test(code)) problems.push(`${where}: ${why}`);
    }
  });
}

walk(root);
if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('check-imports: ok (import direction and engine/ determinism)');
