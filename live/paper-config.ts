import { basename, dirname, extname, resolve } from 'node:path';
import { ConfigError } from '../engine/config-error.js';

/** The `kind` of a paper config. */
export const PAPER_KIND = 'replaylab-paper';
/** The paper config version this replaylab reads and `promote` writes. */
export const PAPER_VERSION = 1;
/** The top-level fields a paper config has on top of a run spec's. */
export const PAPER_FIELDS: readonly string[] = Object.freeze(['kind', 'version', 'name', 'warmup', 'provenance']);

/** A checked paper config. `R` is the run spec type (see {@link parsePaperConfig}). */
export interface PaperConfig<R> {
  /** The config file, absolute. */
  readonly file: string;
  /** Folder the run spec's relative data paths are resolved against. */
  readonly baseDir: string;
  /** `name`, or the file name stem. */
  readonly name: string;
  /** The run spec part, parsed: data (the warm-up history), strategy, params, capital, costs … */
  readonly runSpec: R;
  /** `warmup.bars`: replay the last N bars of each data series before going live; undefined = all. */
  readonly warmupBars: number | undefined;
  /** What `promote` recorded (experiment, cell, metrics, digests …); free-form, not interpreted. */
  readonly provenance: Readonly<Record<string, unknown>> | undefined;
}

/**
 * True when `json` is a paper config (an object with `"kind": "replaylab-paper"`). Other objects —
 * plain run specs — are not.
 */
export function isPaperConfig(json: unknown): boolean {
  return isObject(json) && json['kind'] === PAPER_KIND;
}

/**
 * The run spec inside a paper config: the paper-only fields ({@link PAPER_FIELDS}) are checked,
 * then dropped. Any JSON that is not a paper config comes back unchanged, so `backtest` can pass
 * every spec file through this before `parseRunSpec` and run a paper config as an ordinary
 * backtest over its data.
 * @throws ConfigError (JSON path of the field) for a bad `version`, `name`, `warmup` or `provenance`.
 */
export function runSpecPart(json: unknown): unknown {
  if (!isPaperConfig(json)) return json;
  return checkPaperFields(json as Record<string, unknown>, undefined).runSpec;
}

/**
 * Checks a paper config: a run spec (everything `parseRunSpec` accepts) plus
 * `"kind": "replaylab-paper"` (required), `"version": 1` (required), `"name"` (a non-empty string;
 * default: the file name stem), `"warmup": {"bars": N}` (N a whole number >= 0; default: all of
 * `data`) and `"provenance"` (any object). The run spec part is handed to `parseRunSpec` — passed
 * in because run specs are parsed in `experiments/`, which `live/` does not import.
 * @param file the config's path (for the default name and the data folder).
 * @throws ConfigError with the JSON path of the first bad field (from `parseRunSpec` too).
 */
export function parsePaperConfig<R>(json: unknown, file: string, parseRunSpec: (json: unknown) => R): PaperConfig<R> {
  if (!isObject(json)) throw new ConfigError('(root)', `must be a JSON object (a paper config), was ${show(json)}`);
  if (json['kind'] !== PAPER_KIND) {
    const was = json['kind'] === undefined ? 'missing' : `was ${show(json['kind'])}`;
    throw new ConfigError('kind', `must be "${PAPER_KIND}", ${was} — a paper config is a run spec with "kind": "${PAPER_KIND}", "version": ${PAPER_VERSION} (replaylab promote writes one)`);
  }
  const path = resolve(file);
  const checked = checkPaperFields(json, path);
  return Object.freeze({
    file: path,
    baseDir: dirname(path),
    name: checked.name,
    runSpec: parseRunSpec(checked.runSpec),
    warmupBars: checked.warmupBars,
    provenance: checked.provenance,
  });
}

interface PaperFields {
  readonly name: string;
  readonly warmupBars: number | undefined;
  readonly provenance: Readonly<Record<string, unknown>> | undefined;
  readonly runSpec: Record<string, unknown>;
}

function checkPaperFields(json: Record<string, unknown>, file: string | undefined): PaperFields {
  const version = json['version'];
  if (version !== PAPER_VERSION) {
    const why = version === undefined ? 'is required' : `was ${show(version)} — this replaylab reads version ${PAPER_VERSION}`;
    throw new ConfigError('version', `must be ${PAPER_VERSION}, ${why}`);
  }
  const name = json['name'];
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw new ConfigError('name', `must be a non-empty string, was ${show(name)}`);
  let warmupBars: number | undefined;
  if (json['warmup'] !== undefined) {
    const warmup = json['warmup'];
    if (!isObject(warmup)) throw new ConfigError('warmup', `must be an object like {"bars": 250}, was ${show(warmup)}`);
    for (const key of Object.keys(warmup)) if (key !== 'bars') throw new ConfigError(`warmup.${key}`, 'unknown field — allowed: bars');
    const bars = warmup['bars'];
    if (bars !== undefined && !(typeof bars === 'number' && Number.isSafeInteger(bars) && bars >= 0)) {
      throw new ConfigError('warmup.bars', `must be a whole number >= 0 (bars of each data series replayed before the first live bar), was ${show(bars)}`);
    }
    warmupBars = bars as number | undefined;
  }
  const provenance = json['provenance'];
  if (provenance !== undefined && !isObject(provenance)) throw new ConfigError('provenance', `must be an object, was ${show(provenance)}`);
  const runSpec = Object.fromEntries(Object.entries(json).filter(([key]) => !PAPER_FIELDS.includes(key)));
  return {
    name: typeof name === 'string' ? name : file === undefined ? 'paper' : basename(file, extname(file)),
    warmupBars,
    provenance: provenance === undefined ? undefined : Object.freeze({ ...provenance }),
    runSpec,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
}
