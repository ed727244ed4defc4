import { ConfigError } from '../engine/config-error.js';
import type { AlertSink } from './alerts.js';
import { ConsoleAlertSink, type AlertStream } from './console-alert-sink.js';
import { JsonlAlertSink } from './jsonl-alert-sink.js';
import { WebhookAlertSink, type WebhookOptions } from './webhook-alert-sink.js';

/** One sink of `--alerts`, parsed. */
export type AlertSinkSpec =
  /** One coloured line per alert on the console (stderr). */
  | { readonly kind: 'console' }
  /** Appends JSON lines to `file` (relative to the working directory). */
  | { readonly kind: 'jsonl'; readonly file: string }
  /** POSTs JSON to an http(s) `url`. */
  | { readonly kind: 'webhook'; readonly url: string };

const USE = 'use console, jsonl:FILE or webhook:URL';

/**
 * Parses `--alerts console,jsonl:FILE,webhook:URL` (comma-separated; a comma inside a URL must be
 * written `%2C`). Each sink once at most.
 * @throws ConfigError with path `--alerts` naming the bad part and the accepted forms.
 */
export function parseAlertSinks(spec: string): readonly AlertSinkSpec[] {
  const parts = spec.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) throw new ConfigError('--alerts', `no sink given — ${USE}, e.g. --alerts console,jsonl:alerts.jsonl`);
  const sinks: AlertSinkSpec[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (part === '') throw new ConfigError('--alerts', `empty sink in ${JSON.stringify(spec)} — ${USE}, separated by single commas`);
    const sink = sinkOf(part);
    const key = sink.kind === 'console' ? 'console' : sink.kind === 'jsonl' ? `jsonl:${sink.file}` : `webhook:${sink.url}`;
    if (seen.has(key)) throw new ConfigError('--alerts', `sink ${JSON.stringify(sink.kind === 'webhook' ? 'webhook' : key)} is given twice`);
    seen.add(key);
    sinks.push(sink);
  }
  return Object.freeze(sinks);
}

function sinkOf(part: string): AlertSinkSpec {
  if (part === 'console') return { kind: 'console' };
  const colon = part.indexOf(':');
  const kind = colon < 0 ? part : part.slice(0, colon);
  const rest = colon < 0 ? '' : part.slice(colon + 1).trim();
  if (kind === 'jsonl') {
    if (rest === '') throw new ConfigError('--alerts', `jsonl needs a file — e.g. jsonl:alerts.jsonl`);
    return { kind: 'jsonl', file: rest };
  }
  if (kind === 'webhook') {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new ConfigError('--alerts', `webhook needs an http(s) URL — e.g. webhook:https://hooks.example.com/alerts`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('--alerts', `webhook URL must be http or https, was ${url.protocol.slice(0, -1)}`);
    return { kind: 'webhook', url: rest };
  }
  throw new ConfigError('--alerts', `unknown sink ${JSON.stringify(kind === 'console' ? part : kind)} — ${USE}`);
}

/** Options of {@link openAlertSinks}. */
export interface OpenAlertSinksOptions {
  /** Where `console` writes (default `process.stderr`). */
  readonly stream?: AlertStream;
  /** For the colour decision (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Failures of the file and webhook sinks (after the webhook's last retry): log them. */
  readonly onError: (error: Error) => void;
  /** Retry, backoff and timeout of webhooks (defaults: 3 tries, 200 ms × 2^n, 5 s). */
  readonly webhook?: Omit<WebhookOptions, 'onError'>;
}

/**
 * Builds the sinks of a parsed `--alerts`, in order. Opens the JSON-lines files now, so that a bad
 * path fails before the run starts (the sinks opened so far are closed again).
 * @throws ConfigError with path `--alerts` when a file cannot be opened.
 */
export async function openAlertSinks(specs: readonly AlertSinkSpec[], options: OpenAlertSinksOptions): Promise<AlertSink[]> {
  const sinks: AlertSink[] = [];
  try {
    for (const spec of specs) {
      switch (spec.kind) {
        case 'console':
          sinks.push(new ConsoleAlertSink(options.stream ?? process.stderr, { env: options.env ?? process.env }));
          break;
        case 'jsonl':
          sinks.push(await JsonlAlertSink.open(spec.file, { onError: options.onError }));
          break;
        case 'webhook':
          sinks.push(new WebhookAlertSink(spec.url, { ...options.webhook, onError: options.onError }));
          break;
      }
    }
  } catch (error) {
    await Promise.all(sinks.map((sink) => sink.close()));
    throw error;
  }
  return sinks;
}
