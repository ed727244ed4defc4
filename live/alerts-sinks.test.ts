import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertDispatcher } from './alert-dispatcher.js';
import { openAlertSinks, parseAlertSinks } from './alert-sinks.js';
import type { Alert, AlertSink } from './alerts.js';
import { ConsoleAlertSink, wantsColor } from './console-alert-sink.js';
import { JsonlAlertSink } from './jsonl-alert-sink.js';
import { RecentAlerts } from './recent-alerts.js';
import { WebhookAlertSink } from './webhook-alert-sink.js';

const T = Date.UTC(2024, 2, 1, 15, 30);
const alertAt = (step: number, kind: Alert['kind'] = 'FILL'): Alert => ({ kind, timeMs: T + step * 60_000, step, symbol: 'SPX', message: `alert ${step}` });

/** A stream double that records what is written. */
function streamOf(isTTY: boolean): { write(text: string): boolean; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(text: string) { this.text += text; return true; } };
}

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-alerts-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ConsoleAlertSink', () => {
  it('colours the kind on a terminal only, and not with NO_COLOR set', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
  });

  it('writes one line per alert, coloured or plain', async () => {
    const tty = streamOf(true);
    const plain = streamOf(false);
    const noColor = streamOf(true);
    for (const [stream, env] of [[tty, {}], [plain, {}], [noColor, { NO_COLOR: 'yes' }]] as const) {
      const sink = new ConsoleAlertSink(stream, { env });
      sink.send(alertAt(0, 'ERROR'));
      sink.send(alertAt(1, 'WARNING'));
      await sink.close();
      sink.send(alertAt(2));
    }
    expect(tty.text).toBe('2024-03-01T15:30:00.000Z \u001b[1;31mERROR      \u001b[0m alert 0\n2024-03-01T15:31:00.000Z \u001b[33mWARNING    \u001b[0m alert 1\n');
    expect(plain.text).toBe('2024-03-01T15:30:00.000Z ERROR       alert 0\n2024-03-01T15:31:00.000Z WARNING     alert 1\n');
    expect(noColor.text).toBe(plain.text);
  });
});

describe('JsonlAlertSink', () => {
  it('appends one JSON line per alert, written by flush, in order', async () => {
    const file = join(tempDir(), 'alerts.jsonl');
    const sink = await JsonlAlertSink.open(file);
    for (let i = 0; i < 100; i++) sink.send(alertAt(i));
    // send only queues: nothing is written before the caller yields.
    expect(readFileSync(file, 'utf8')).toBe('');
    await sink.flush();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(100);
    expect(JSON.parse(lines[0]!)).toEqual({ kind: 'FILL', time: '2024-03-01T15:30:00.000Z', timeMs: T, step: 0, symbol: 'SPX', message: 'alert 0' });
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([...Array(100).keys()]);
    // Appends to what is there; close flushes.
    sink.send(alertAt(100));
    await sink.close();
    const again = await JsonlAlertSink.open(file);
    again.send(alertAt(101));
    await again.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(102);
  });

  it('fails to open with the fix named; reports unserializable alerts instead of throwing', async () => {
    await expect(JsonlAlertSink.open(join(tempDir(), 'missing', 'a.jsonl'))).rejects.toThrow(/^--alerts: cannot open jsonl:.*a\.jsonl \(ENOENT\) — check that its folder exists and is writable$/);
    const errors: string[] = [];
    const sink = await JsonlAlertSink.open(join(tempDir(), 'b.jsonl'), { onError: (e) => errors.push(e.message) });
    expect(() => sink.send({ ...alertAt(0), data: { big: 1n } })).not.toThrow();
    await sink.close();
    expect(errors).toEqual([expect.stringMatching(/b\.jsonl: alert not serializable .* — dropped$/)]);
  });
});

describe('parseAlertSinks', () => {
  it('parses console, jsonl:FILE and webhook:URL', () => {
    expect(parseAlertSinks('console, jsonl:out/alerts.jsonl,webhook:https://hooks.example.com/T0/B1?x=1')).toEqual([
      { kind: 'console' },
      { kind: 'jsonl', file: 'out/alerts.jsonl' },
      { kind: 'webhook', url: 'https://hooks.example.com/T0/B1?x=1' },
    ]);
  });

  it.each([
    ['x', '--alerts: unknown sink "x" — use console, jsonl:FILE or webhook:URL'],
    ['console,slack:abc', '--alerts: unknown sink "slack" — use console, jsonl:FILE or webhook:URL'],
    ['', '--alerts: no sink given — use console, jsonl:FILE or webhook:URL, e.g. --alerts console,jsonl:alerts.jsonl'],
    ['console,,jsonl:a', '--alerts: empty sink in "console,,jsonl:a" — use console, jsonl:FILE or webhook:URL, separated by single commas'],
    ['jsonl:', '--alerts: jsonl needs a file — e.g. jsonl:alerts.jsonl'],
    ['webhook:hooks.example.com', '--alerts: webhook needs an http(s) URL — e.g. webhook:https://hooks.example.com/alerts'],
    ['webhook:ftp://example.com/x', '--alerts: webhook URL must be http or https, was ftp'],
    ['console,console', '--alerts: sink "console" is given twice'],
  ])('rejects %j', (spec, message) => {
    expect(() => parseAlertSinks(spec)).toThrow(message);
  });

  it('opens the sinks in order; a bad file fails before the run', async () => {
    const dir = tempDir();
    const sinks = await openAlertSinks(parseAlertSinks(`console,jsonl:${join(dir, 'a.jsonl')},webhook:http://127.0.0.1:9/x`), { stream: streamOf(false), onError: () => {} });
    expect(sinks.map((s) => s.constructor)).toEqual([ConsoleAlertSink, JsonlAlertSink, WebhookAlertSink]);
    await Promise.all(sinks.map((s) => s.close()));
    await expect(openAlertSinks(parseAlertSinks(`jsonl:${join(dir, 'a.jsonl')},jsonl:${join(dir, 'no', 'b.jsonl')}`), { onError: () => {} })).rejects.toThrow(/ENOENT/);
  });
});

describe('AlertDispatcher and RecentAlerts', () => {
  it('fans out to every sink, past one that throws, and flushes them all', async () => {
    const recent = new RecentAlerts(3);
    const stream = streamOf(false);
    const broken: AlertSink = { send: () => { throw new Error('sink bug'); }, flush: async () => {}, close: async () => {} };
    const errors: string[] = [];
    const dispatcher = new AlertDispatcher([broken, recent, new ConsoleAlertSink(stream)], (e) => errors.push(e.message));
    for (let i = 0; i < 5; i++) dispatcher.send(alertAt(i));
    await dispatcher.flush();
    expect(errors).toEqual(Array(5).fill('sink bug'));
    expect(recent.list().map((a) => a.step)).toEqual([2, 3, 4]);
    expect(stream.text.split('\n')).toHaveLength(6);
    await dispatcher.close();
    dispatcher.send(alertAt(9));
    expect(recent.list().map((a) => a.step)).toEqual([2, 3, 4]);
  });

  it('keeps fewer than the limit in order', () => {
    const recent = new RecentAlerts();
    expect(recent.limit).toBe(50);
    expect(recent.list()).toEqual([]);
    recent.send(alertAt(0));
    recent.send(alertAt(1));
    expect(recent.list().map((a) => a.step)).toEqual([0, 1]);
    expect(() => new RecentAlerts(0)).toThrow(RangeError);
  });
});
