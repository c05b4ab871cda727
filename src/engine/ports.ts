// What the dispatcher reads from and writes to the alert outbox; the store implements it.
import type { DeliveryResult } from '../core/hook.js';

export interface OutboxItem {
  readonly id: number;
  readonly hook: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAttemptAt: number;
}

export interface AttemptRecord extends DeliveryResult {
  readonly at: number;
  readonly durationMs: number;
}

/** One delivery attempt and what its outbox row becomes. */
export interface AttemptOutcome {
  readonly outboxId: number;
  readonly attempt: AttemptRecord;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly nextAttemptAt: number;
}

/** The persistence the dispatcher needs; the store implements it. */
export interface Outbox {
  /** The hook's pending alerts, the soonest next attempt first, leaving out `busy` ids. */
  pendingAlerts(hook: string, busy: readonly number[], limit: number): OutboxItem[];
  alertHooks(): string[];
  /** Records every outcome, or none (it throws). */
  recordAttempts(outcomes: readonly AttemptOutcome[]): void;
}
