import { Command } from 'commander';
import type { ParamSpec } from '../../engine/params.js';
import { STRATEGIES } from '../../strategies/index.js';
import { table } from '../format.js';

/** `replaylab strategies [--json]`: every bundled strategy with its parameter schema. */
export function strategiesCommand(): Command {
  return new Command('strategies')
    .description('List the bundled strategies and their parameters (types, defaults, ranges)')
    .option('--json', 'print as JSON: [{name, description, params: {name: {type, default, min, max, …}}}]')
    .addHelpText('after', '\nExample:\n  replaylab strategies --json')
    .action((flags: { json?: boolean }) => {
      const list = [...STRATEGIES.values()].map((s) => ({ name: s.name, description: s.description, params: s.params }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      for (const s of list) {
        process.stdout.write(`${s.name} — ${s.description}\n`);
        const rows = Object.entries(s.params).map(([name, spec]) => [`  ${name}`, spec.type, String(spec.default), range(spec), spec.description]);
        process.stdout.write(`${table([['  param', 'type', 'default', 'range', 'meaning'], ...rows])}\n\n`);
      }
    });
}

function range(spec: ParamSpec): string {
  if (spec.type === 'enum') return spec.values.join('|');
  if (spec.type === 'boolean') return 'true|false';
  if (spec.type === 'string') return 'text';
  return `${spec.min ?? '-∞'}…${spec.max ?? '∞'}`;
}
