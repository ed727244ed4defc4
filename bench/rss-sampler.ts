import { Worker } from 'node:worker_threads';

/**
 * Peak RSS of this process, sampled every 2 ms from a worker thread (the main thread is busy in
 * the measured run, so it cannot sample itself).
 */
const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
let samples = 0;
const tick = () => { const r = process.memoryUsage.rss(); if (r > peak) peak = r; samples++; };
const timer = setInterval(tick, 2);
parentPort.on('message', () => { tick(); clearInterval(timer); parentPort.postMessage({ peak, samples }); });
tick();
parentPort.postMessage('ready');
`;

/** A running RSS sampler; `stop` ends it and returns the peak (bytes) and the number of samples. */
export interface RssSampler {
  stop(): Promise<{ readonly peak: number; readonly samples: number }>;
}

export function once<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Starts a sampler thread (unref'd); resolves once it has taken its first sample. */
export async function startRssSampler(): Promise<RssSampler> {
  const worker = new Worker(SAMPLER, { eval: true });
  // Never the reason the process stays up (e.g. after a failed run).
  worker.unref();
  await once<string>(worker);
  return {
    stop: async () => {
      worker.postMessage('stop');
      const sampled = await once<{ peak: number; samples: number }>(worker);
      await worker.terminate();
      return sampled;
    },
  };
}

