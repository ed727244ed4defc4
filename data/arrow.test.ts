import { describe, expect, it } from 'vitest';
import { writeArrowColumns } from './arrow.js';

describe('writeArrowColumns with one array behind two columns', () => {
  it('writes a readable file (apache-arrow would corrupt the body without a copy)', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { tableFromIPC } = await import('apache-arrow');
    const values = Float64Array.from([1, 2, 3, 4]).subarray(1);
    const file = join(mkdtempSync(join(tmpdir(), 'replaylab-arrow-')), 'twice.arrow');
    writeArrowColumns(file, { a: values, b: values, t: { kind: 'timestamp-ms', values } });
    const table = tableFromIPC(readFileSync(file));
    expect(table.numRows).toBe(3);
    expect([...table.getChild('b')!.toArray()]).toEqual([2, 3, 4]);
  });
});
