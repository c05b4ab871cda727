// Watches the watcher: judges overdue's own health (core/health.ts) from probes the daemon gives,
// for /healthz, and sends the outgoing heartbeat (server.heartbeat) on a timer of its own. The
// heartbeat is sent only while healthy; on turning unhealthy, one /fail with the reason, then
// silence, so the switch it feeds alerts even when the /fail is lost.
import type { Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';
import {
  DEFAULT_BOUNDS,
  heartbeatAction,
  judgeHealth,
  type HealthBounds,
  type HealthInputs,
  type HealthReport,
} from '../core/health.js';
import type { Logger } from '../platform/log.js';

/** Sends one heartbeat ping; resolves with null when the switch took it, else why not. */
export type SendBeat = (kind: 'success' | 'fail', body: string) => Promise<string | null>;

export interface HeartbeatSettings {
  readonly everyMs: number;
  readonly bounds: HealthBounds;
}

export interface HealthDeps {
  readonly clock: Clock;
  readonly counters: Counters;
  /** Measures the three checks now (the database check is a real write). */
  readonly probe: () => HealthInputs;
  readonly log: Logger;
}

export class Health {
  readonly #deps: HealthDeps;
  #settings: HeartbeatSettings | null = null;
  #send: SendBeat | null = null;
  #timer: unknown = null;
  #failSent = false;
  #inFlight: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
  }

  /** The three checks, judged now with the heartbeat's bounds (or the defaults without one). */
  report(): HealthReport {
    const bounds = this.#settings?.bounds ?? DEFAULT_BOUNDS;
    return judgeHealth(this.#deps.probe(), bounds, this.#deps.clock.now());
  }

  /** Starts, changes (a reload) or stops (null) the heartbeat; a started one beats at once. */
  configure(settings: HeartbeatSettings | null, send: SendBeat | null): void {
    if (this.#closed) return;
    const restart = settings?.everyMs !== this.#settings?.everyMs;
    this.#settings = settings;
    this.#send = send;
    if (!restart) return;
    this.#stopTimer();
    if (settings !== null) this.#beat();
  }

  /** Resolves once the heartbeat being sent, if any, has been answered. */
  idle(): Promise<void> {
    return this.#inFlight;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#stopTimer();
    return this.#inFlight;
  }

  #beat(): void {
    const settings = this.#settings;
    if (settings === null || this.#closed) return;
    // Armed first: a slow send never delays the next beat; sends go one after another.
    this.#timer = this.#deps.clock.setTimer(() => this.#beat(), settings.everyMs);
    const report = this.report();
    const step = heartbeatAction(report, this.#failSent);
    if (this.#failSent && !step.failSent) this.#deps.log.info('healthy again: heartbeat resumed');
    this.#failSent = step.failSent;
    if (step.action === 'none' || this.#send === null) return;
    if (step.action === 'fail')
      this.#deps.log.error('unhealthy: sending the heartbeat /fail, then stopping it', {
        reason: report.reason ?? '',
      });
    const body = step.action === 'fail' ? (report.reason ?? 'unhealthy') : 'ok';
    this.#inFlight = this.#inFlight.then(() => this.#sendOne(step.action, body));
  }

  async #sendOne(kind: 'success' | 'fail' | 'none', body: string): Promise<void> {
    if (kind === 'none' || this.#send === null) return;
    const problem = await this.#send(kind, body).catch((error: unknown) => String(error));
    this.#deps.counters.heartbeat(kind, problem === null);
    if (problem !== null)
      this.#deps.log.warn('heartbeat not taken by its switch', { kind, error: problem });
  }

  #stopTimer(): void {
    if (this.#timer !== null) this.#deps.clock.clearTimer(this.#timer);
    this.#timer = null;
  }
}
