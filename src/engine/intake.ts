// What the HTTP side asks of the engine besides reading: taking pings in, and creating monitors.
// Declared here and implemented by the daemon's parts, so src/http needs no daemon to be tested.
import type { ReceivedPing } from '../core/types.js';

/** A monitor as the ping path sees it. */
export interface PingTarget {
  readonly slug: string;
  /** Every token the monitor accepts (more than one while a token is rotated). */
  readonly tokens: readonly string[];
}

/** The monitor a ping was for is gone (removed by a reload before the ping was committed). */
export class MonitorGone extends Error {
  constructor(slug: string) {
    super(`monitor '${slug}' was removed from the config`);
    this.name = 'MonitorGone';
  }
}

export interface PingIntake {
  byToken(token: string): PingTarget | undefined;
  bySlug(slug: string): PingTarget | undefined;
  /**
   * Stores the ping; `done` is called once it is durable, or with why it is not: MonitorGone when
   * nothing owns the ping's slug or tokens any more, another error when storage failed.
   */
  submit(ping: ReceivedPing, done: (error: Error | null) => void): void;
  /** A ping could not be stored: noted once per fault, for the log and /healthz. */
  storeFailed(error: Error): void;
}

/** A monitor to create by `POST /v1/heartbeats`; the slug is a proposal made unique. */
export interface CreateRequest {
  readonly slug: string;
  readonly name: string;
  readonly periodMs: number;
  readonly graceMs: number;
}

export interface Created {
  readonly slug: string;
  readonly name: string;
  readonly token: string | null;
  readonly periodMs: number;
  readonly graceMs: number;
}

/** What `PATCH /v1/heartbeats/<id>` may change; an absent field stays as it is. */
export interface ProvisionChange {
  readonly name?: string;
  readonly periodMs?: number;
  readonly graceMs?: number;
}

/** Auto-provisioning, as the HTTP side uses it. */
export interface Provisioner {
  readonly enabled: boolean;
  /** Why no monitor may be created now (auto-provision.max-monitors is reached), or null. */
  limitReached(): string | null;
  /** Creates the monitor a ping with `?create=1` names; undefined when it may not. */
  createBySlug(slug: string): PingTarget | undefined;
  /** Creates a monitor under the first free slug made from its name; null when it cannot. */
  create(request: CreateRequest): Created | null;
  /** Changes a monitor auto-provisioning made; false when `slug` is not one (the config's are not). */
  update(slug: string, change: ProvisionChange): boolean;
  /** Deletes a monitor auto-provisioning made; false when `slug` is not one. */
  remove(slug: string): boolean;
  /** The slug of the running monitor a name maps to (`Weekly report` -> `weekly-report`), if any. */
  existing(name: string): string | undefined;
}
