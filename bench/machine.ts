import { arch, cpus, loadavg, platform, totalmem } from 'node:os';

/** The machine a bench ran on, printed first so figures can be read in context. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly totalMemoryBytes: number;
  /** 1, 5 and 15 minute load averages (other processes compete for the same cores). */
  readonly loadAverage: readonly number[];
  readonly exposeGc: boolean;
  /** See {@link probeFirstTouch}. */
  readonly memoryTouch: FirstTouchProbe;
}

/** What writing fresh memory costs here, against writing memory already touched. */
export interface FirstTouchProbe {
  /** Writing each element of a newly allocated large `Float64Array` once, ns per element (page faults). */
  readonly firstTouchNsPerElement: number;
  /** Writing the same array again, ns per element. */
  readonly retouchNsPerElement: number;
}

/**
 * Times the first and the second write pass over a fresh 32 MiB `Float64Array`. In some sandboxes
 * the first touch of a page is far dearer than on bare Linux (tens of ns per 8 bytes instead of well
 * under 1), which makes every per-bar output column — and every retained allocation — expensive.
 */
export function probeFirstTouch(elements = 4_000_000): FirstTouchProbe {
  const column = new Float64Array(elements);
  const t0 = performance.now();
  for (let i = 0; i < elements; i++) column[i] = i;
  const t1 = performance.now();
  for (let i = 0; i < elements; i++) column[i] = i + 1;
  const t2 = performance.now();
  return { firstTouchNsPerElement: ((t1 - t0) * 1e6) / elements, retouchNsPerElement: ((t2 - t1) * 1e6) / elements };
}

/** Reads the current machine figures (and runs the first-touch probe, about 0.1–0.2 s). */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${arch()}`,
    totalMemoryBytes: totalmem(),
    loadAverage: loadavg(),
    exposeGc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    memoryTouch: probeFirstTouch(),
  };
}
