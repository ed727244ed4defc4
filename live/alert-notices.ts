import type { Alert } from './alerts.js';

/**
 * Where the run is when a feed or driver alert is raised: the last stepped bar. From a paper
 * session: `{ timeMs: session.lastTimeMs, step: session.engine.clock.step }`.
 */
export interface AlertTime {
  /** Bar time, epoch ms UTC (-Infinity before the first step). */
  readonly timeMs: number;
  readonly step: number;
}

/** The feed has been silent for `silentMs` of wall time (`FeedEvents.stale`) → `WARNING`, reason `stale-feed`. */
export function staleFeedAlert(silentMs: number, at: AlertTime): Alert {
  return { kind: 'WARNING', timeMs: at.timeMs, step: at.step, message: `feed: no bar for ${(silentMs / 1000).toFixed(1)} s`, reason: 'stale-feed', data: { silentMs } };
}

/** A problem the feed got past (`FeedEvents.warning`: a reconnect, an undecodable frame) → `WARNING`, reason `feed`. */
export function feedWarningAlert(message: string, at: AlertTime): Alert {
  return { kind: 'WARNING', timeMs: at.timeMs, step: at.step, message: `feed: ${message}`, reason: 'feed' };
}

/**
 * An error that ends the run or a part of it (the feed failed, a strategy threw) → `ERROR`,
 * reason `error`; `what` names the part (`feed`, `driver`).
 */
export function errorAlert(what: string, error: unknown, at: AlertTime): Alert {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : typeof error;
  return { kind: 'ERROR', timeMs: at.timeMs, step: at.step, message: `${what}: ${message}`, reason: 'error', data: { error: name } };
}
