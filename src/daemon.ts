// Builds everything and wires it: start(), reload(config), close(). Edge modules never import each
// other; what one needs from another is passed in here.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dispatcher } from './alert/dispatcher.js';
import { Badges, newBadgeSecret } from './engine/badge-keys.js';
import { createHooks } from './hooks/registry.js';
import type { Hook } from './core/hook.js';
import { systemClock, type Clock } from './core/clock.js';
import { parseDuration } from './core/duration.js';
import type { Config } from './config/types.js';
import { Counters } from './core/counters.js';
import type { ReceivedPing } from './core/types.js';
import { createHttpServer } from './http/server.js';
import { silentLogger, type Logger } from './platform/log.js';
import { Monitors } from './engine/monitors.js';
import { provision, slugify, withProvisioned, type Created } from './engine/provisioning.js';
import { ReadSide } from './engine/read-side.js';
import { Scheduler } from './engine/scheduler.js';
import { StoreFaults, StoreOpenError } from './store/errors.js';
import { GroupCommit } from './store/group-commit.js';
import { Store } from './store/store.js';

export interface DaemonOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly nativeBinding?: object | undefined;
  /** How long shutdown waits for running deliveries; the rest are delivered after a restart. */
  readonly drainMs?: number;
}

// The dispatcher's retry wake-up shares the scheduler's heap; a slug can never start with '#'.
const OUTBOX_KEY = '#outbox';

// A database that cannot be opened (read-only filesystem, permissions) reaches the operator as a
// cause and a fix, not as a stack trace.
function openStore(dataDir: string, nativeBinding: object | undefined): Store {
  try {
    return new Store(dataDir, { nativeBinding });
  } catch (error) {
    throw new StoreOpenError(dataDir, error);
  }
}

export class Daemon {
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  readonly monitors: Monitors;
  readonly counters = new Counters();
  readonly read: ReadSide;
  readonly #scheduler: Scheduler;
  readonly #commit: GroupCommit<ReceivedPing>;
  readonly #server: Server;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #drainMs: number;
  readonly #faults: StoreFaults;
  #config: Config;
  #hooks: Map<string, Hook>;
  #url = '';
  #lastReload: { ok: boolean; at: number };

  private constructor(options: DaemonOptions) {
    const { config } = options;
    this.#config = config;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#drainMs = options.drainMs ?? 5_000;
    this.#hooks = createHooks(config.hooks);
    this.store = openStore(config.server.dataDir, options.nativeBinding);
    this.#scheduler = new Scheduler(this.#clock, (keys, now) => this.#onDue(keys, now));
    const arm = (key: string, at: number | null) =>
      at === null ? this.#scheduler.delete(key) : this.#scheduler.set(key, at);
    this.dispatcher = new Dispatcher({
      outbox: this.store,
      hooks: () => this.#hooks,
      now: () => this.#clock.now(),
      wakeAt: (at) => arm(OUTBOX_KEY, at),
      counters: this.counters,
      log: this.#log,
    });
    this.monitors = new Monitors({
      store: this.store,
      arm,
      alertsQueued: () => this.dispatcher.wake(),
      counters: this.counters,
      log: this.#log,
    });
    this.#lastReload = { ok: true, at: this.#clock.now() };
    this.read = this.#createReadSide();
    // A storage fault is logged once with its cause; the first commit after it logs its end.
    this.#faults = new StoreFaults(this.#log, () => this.#clock.now());
    this.#commit = new GroupCommit(
      this.store.db,
      (pings) => {
        const publish = this.monitors.writePings(pings);
        return () => {
          // After a failed fsync of the WAL every commit still fails at its fsync: no recovery.
          if (this.store.wal.broken === null) this.#faults.succeeded();
          publish();
        };
      },
      this.store.wal,
    );
    this.#server = this.#createServer();
  }

  /** Opens the database, restores every monitor's state and deadline, delivers alerts a crash left pending, and listens. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(options);
    try {
      daemon.#apply(options.config);
      await daemon.#listen();
    } catch (error) {
      daemon.#scheduler.close();
      daemon.store.close();
      throw error;
    }
    daemon.dispatcher.refresh();
    return daemon;
  }

  get url(): string {
    return this.#url;
  }

  get config(): Config {
    return this.#config;
  }

  /** Applies a new, already validated config without dropping a ping. */
  reload(config: Config): void {
    const before = this.#config.server;
    const after = config.server;
    if (
      before.host !== after.host ||
      before.port !== after.port ||
      before.dataDir !== after.dataDir
    ) {
      this.#log.warn('server listen and data-dir changes take effect after a restart');
    }
    this.#config = config;
    this.#hooks = createHooks(config.hooks);
    this.#apply(config);
    this.dispatcher.refresh();
    this.#lastReload = { ok: true, at: this.#clock.now() };
    this.#log.info('config reloaded', { monitors: this.monitors.size, hooks: this.#hooks.size });
  }

  /** Notes a reload that found the config invalid (and so kept the running one), for metrics. */
  noteReloadFailed(): void {
    this.#lastReload = { ok: false, at: this.#clock.now() };
  }

  /** Stops accepting, commits what was received, gives deliveries a bounded time, closes the database. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    this.#commit.flush();
    await Promise.race([closed, new Promise((r) => setTimeout(r, this.#drainMs).unref())]);
    this.#server.closeAllConnections();
    this.#commit.flush();
    this.#scheduler.close();
    await this.dispatcher.close(this.#drainMs);
    this.store.close();
  }

  /** Runs the config's monitors and the provisioned ones it does not take over. */
  #apply(config: Config): void {
    this.monitors.sync(withProvisioned(config, this.store.provisioned()), this.#clock.now());
  }

  /** Creates a monitor by auto-provisioning, and starts watching it. */
  provision(request: Parameters<typeof provision>[2]): Created | null {
    const created = provision(this.store, this.#config, request, this.#clock.now());
    if (created !== null) {
      this.#apply(this.#config);
      this.#log.info('monitor created by auto-provisioning', { monitor: created.slug });
    }
    return created;
  }

  /** Creates a monitor under the first free slug made from its name. */
  #createUnique(r: { name: string; periodMs: number; graceMs: number }): Created | null {
    const base = slugify(r.name);
    for (let n = 1; n <= 100; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (this.monitors.bySlug(slug) !== undefined) continue;
      const created = this.provision({ ...r, slug, withToken: true });
      if (created !== null) return created;
    }
    return null;
  }

  #onDue(keys: readonly string[], now: number): void {
    const slugs = keys.filter((k) => k !== OUTBOX_KEY);
    if (slugs.length > 0) this.monitors.onDue(slugs, now);
    if (slugs.length !== keys.length) this.dispatcher.wake();
  }

  #createReadSide(): ReadSide {
    return new ReadSide({
      monitors: this.monitors,
      store: this.store,
      config: () => this.#config,
      clock: this.#clock,
      baseUrl: () => this.#config.server.publicUrl ?? this.#url,
      // Generated on the first start and kept in the database: badge URLs stay the same.
      badges: new Badges(this.store.setting('badge-secret', newBadgeSecret)),
      counters: this.counters,
      lastReload: () => this.#lastReload,
    });
  }

  #createServer(): Server {
    return createHttpServer({
      log: this.#log,
      pingKey: () => this.#config.server.pingKey,
      bodyLimit: () => this.#config.server.bodyLimit,
      trustProxy: () => this.#config.server.trustProxy,
      byToken: (token) => this.monitors.byToken(token)?.config,
      bySlug: (slug) => this.monitors.bySlug(slug)?.config,
      create: (slug) =>
        this.provision({ slug, withToken: false }) ? this.monitors.bySlug(slug)?.config : undefined,
      apiToken: () => this.#config.server.apiToken,
      provisioningEnabled: () => this.#config.autoProvision.enabled,
      createMonitor: (r) => this.#createUnique(r),
      baseUrl: () => this.#config.server.publicUrl ?? this.#url,
      now: () => this.#clock.now(),
      submit: (ping, done) => this.#commit.submit(ping, done),
      onStoreError: (error) =>
        this.#faults.failed('cannot store pings; answering 503 until the fault clears', error),
      read: this.read,
      tokens: () => this.#config.server,
      parseDuration,
      tagBadges: () => this.read.tagBadges(),
      metrics: () => this.read.metrics(),
      badge: (key) => this.read.badge(key),
      health: () => this.#health(),
    });
  }

  /** Null when a real write succeeds (a read alone would pass on a full disk or a read-only mount). */
  #health(): string | null {
    const broken = this.store.wal.broken;
    if (broken !== null) return broken.message;
    // The last write of pings failed and none has succeeded since: unhealthy, even if
    // the tiny write below fits (a full disk may still take a frame where the WAL has room).
    const fault = this.#faults.cause;
    if (fault !== null) return `${fault}; pings are refused until a write succeeds again`;
    try {
      this.store.touch(this.#clock.now());
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async #listen(): Promise<void> {
    const { host, port } = this.#config.server;
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
    const address = this.#server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `http://${shown}:${address.port}`;
    this.#log.info('listening', { url: this.#url, monitors: this.monitors.size });
  }
}
