// Builds everything and wires it: start(), reload(config), close(); nothing else. The adapters
// never import each other: what one needs from another is a port, and the ports are joined here.
import type { Server } from 'node:http';
import { Dispatcher } from './alert/dispatcher.js';
import type { Config } from './config/types.js';
import type { Clock } from './core/clock.js';
import { Counters } from './core/counters.js';
import type { Hook } from './core/hook.js';
import type { ReceivedPing } from './core/types.js';
import { BadgeKeys, newBadgeSecret } from './engine/badge-keys.js';
import type { PingIntake } from './engine/intake.js';
import { runInSteps } from './engine/monitor-sync.js';
import { Health } from './engine/health.js';
import { Monitors } from './engine/monitors.js';
import { Provisioner } from './engine/provisioner.js';
import { ReadSide } from './engine/read-side.js';
import { Scheduler } from './engine/scheduler.js';
import { SteadyClock, type ClockStep } from './engine/steady-clock.js';
import { heartbeatSender } from './hooks/heartbeat-sender.js';
import { createHooks } from './hooks/registry.js';
import { createHttpServer, listen } from './http/server.js';
import type { HttpSettings } from './http/settings.js';
import { buildInfo } from './platform/build-info.js';
import { collectGarbage } from './platform/collect-garbage.js';
import { silentLogger, type Logger } from './platform/log.js';
import { systemClock } from './platform/system-clock.js';
import { DataDirLock } from './store/data-dir-lock.js';
import { asOpenError, IndexFaults, StoreFaults, storeHealth } from './store/errors.js';
import { GroupCommit } from './store/group-commit.js';
import { sqliteVersion } from './store/sqlite-version.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

export interface DaemonOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly nativeBinding?: object | undefined;
  /** How long shutdown waits for running deliveries; the rest are delivered after a restart. */
  readonly drainMs?: number;
  /** A listening socket systemd passed (socket activation): used instead of server.listen. */
  readonly listenFd?: number | null;
}

// The dispatcher's timer holds one key: when the outbox next needs a look.
const OUTBOX_DUE = 'outbox';

export class Daemon {
  readonly store: Store;
  /** Held from the start until the database is closed: one daemon per data dir. */
  readonly #lock: DataDirLock;
  readonly dispatcher: Dispatcher;
  readonly monitors: Monitors;
  readonly counters = new Counters();
  readonly read: ReadSide;
  readonly provisioner: Provisioner;
  /** overdue's own health (/healthz) and its outgoing heartbeat. */
  readonly health: Health;
  /** The monitors' deadlines. */
  readonly #scheduler: Scheduler;
  /** The dispatcher's retries, apart from the monitors' deadlines. */
  readonly #outboxTimer: Scheduler;
  readonly #commit: GroupCommit<ReceivedPing>;
  readonly #server: Server;
  /** Every time the daemon reads: the wall clock, without its steps (see SteadyClock). */
  readonly #clock: SteadyClock;
  readonly #log: Logger;
  readonly #drainMs: number;
  readonly #faults: StoreFaults;
  #config: Config;
  #hooks: Map<string, Hook>;
  #url = '';
  #settings: HttpSettings;
  #lastReload: { ok: boolean; at: number };
  /** Set by close: a reload in steps stops at its next step. */
  #closing = false;

  private constructor(options: DaemonOptions) {
    const { config } = options;
    this.#config = config;
    this.#log = options.log ?? silentLogger;
    this.#clock = new SteadyClock(
      options.clock ?? systemClock,
      (step) => this.#clockStepped(step),
      this.#log,
    );
    this.#drainMs = options.drainMs ?? 5_000;
    this.#hooks = createHooks(config.hooks);
    this.#settings = this.#settingsOf(config);
    const now = () => this.#clock.now();
    this.#lock = DataDirLock.acquire(config.server.dataDir, options.nativeBinding);
    try {
      this.store = openStore(config.server.dataDir, options.nativeBinding);
    } catch (error) {
      this.#lock.release();
      throw error;
    }
    this.#scheduler = new Scheduler(this.#clock, (slugs, at) => this.monitors.onDue(slugs, at), {
      beforeWake: () => this.#clock.check(),
    });
    this.#outboxTimer = new Scheduler(this.#clock, () => this.dispatcher.wake());
    this.dispatcher = new Dispatcher({
      outbox: this.store,
      hooks: () => this.#hooks,
      now,
      wakeAt: (at) =>
        at === null ? this.#outboxTimer.delete(OUTBOX_DUE) : this.#outboxTimer.set(OUTBOX_DUE, at),
      counters: this.counters,
      log: this.#log,
      // The alerts of a hook that a reload renamed or removed go to the hooks the monitor notifies now.
      rehoming: {
        store: this.store.stranded,
        notifyOf: (slug) => this.monitors.bySlug(slug)?.config.notify ?? null,
      },
    });
    this.monitors = new Monitors({
      store: this.store,
      provisioned: () => this.store.provisioned(),
      arm: (slug, at) =>
        at === null ? this.#scheduler.delete(slug) : this.#scheduler.set(slug, at),
      alertsQueued: (queued) => this.dispatcher.wake(queued),
      alertUnrecorded: (alert, hooks) => this.dispatcher.sendUnrecorded(alert, hooks),
      counters: this.counters,
      log: this.#log,
    });
    this.provisioner = new Provisioner({
      store: this.store,
      monitors: this.monitors,
      config: () => this.#config,
      now,
      log: this.#log,
    });
    this.#lastReload = { ok: true, at: now() };
    this.read = new ReadSide({
      monitors: this.monitors,
      history: this.store.history,
      pingKey: () => this.#config.server.pingKey,
      now,
      baseUrl: () => this.#settings.baseUrl,
      // Generated on the first start and kept in the database: badge URLs stay the same.
      badges: new BadgeKeys(this.store.setting('badge-secret', newBadgeSecret)),
      counters: this.counters,
      lastReload: () => this.#lastReload,
      armedDeadline: (slug) => this.#scheduler.get(slug) ?? null,
      health: () => this.health.report(),
    });
    // A storage fault is logged once with its cause; the first commit after it logs its end.
    this.#faults = new StoreFaults(this.#log, now);
    const indexFaults = new IndexFaults(this.#log);
    this.store.indexFailed = (error) => indexFaults.note(error);
    this.#commit = new GroupCommit(
      this.store,
      (pings, refuse) => {
        const publish = this.monitors.writePings(pings, refuse);
        return () => {
          // After a failed fsync of the WAL every commit still fails at its fsync: no recovery.
          if (this.store.wal.broken === null) this.#faults.succeeded();
          publish();
        };
      },
      this.store.wal,
    );
    this.#server = createHttpServer({
      log: this.#log,
      now,
      settings: () => this.#settings,
      intake: this.#intake(),
      provisioner: this.provisioner,
      read: this.read,
      health: () => this.health.report(),
      build: buildInfo(sqliteVersion({ nativeBinding: options.nativeBinding })),
    });
    this.health = new Health({
      clock: this.#clock,
      counters: this.counters,
      probe: () => ({
        databaseProblem: storeHealth(this.store, this.#faults, now()),
        schedulerLatenessMs: this.#scheduler.latenessMs(),
        oldestDueAlertAt: this.store.oldestDueAlertAt(now()),
      }),
      log: this.#log,
    });
  }

  /** Opens the database, restores every monitor's state and deadline, delivers alerts a crash left pending, and listens. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(options);
    try {
      daemon.monitors.sync(options.config, daemon.#clock.now());
      await daemon.#listen(options.listenFd ?? null);
    } catch (error) {
      daemon.#scheduler.close();
      daemon.#outboxTimer.close();
      daemon.#clock.close();
      daemon.store.close();
      daemon.#lock.release();
      // A page found corrupt while loading the monitors is told as a database that cannot open.
      throw asOpenError(options.config.server.dataDir, error);
    }
    daemon.dispatcher.refresh();
    daemon.#heartbeat(options.config);
    return daemon;
  }

  get url(): string {
    return this.#url;
  }

  get config(): Config {
    return this.#config;
  }

  /** Applies a validated config without dropping a ping, in steps that pings and deadlines pass. */
  reload(config: Config): Promise<void> {
    return runInSteps(this.#reloadSteps(config), () => this.#closing);
  }

  *#reloadSteps(config: Config): Generator<void, void, void> {
    const [was, is] = [this.#config.server, config.server];
    if (was.host !== is.host || was.port !== is.port || was.dataDir !== is.dataDir)
      this.#log.warn('server listen and data-dir changes take effect after a restart');
    // While the monitors change over, the hooks of either config are there to alert.
    this.#hooks = createHooks(new Map([...this.#config.hooks, ...config.hooks]));
    yield* this.monitors.syncSteps(config, () => this.#clock.now());
    this.#config = config;
    this.#settings = this.#settingsOf(config);
    this.#hooks = createHooks(config.hooks);
    this.dispatcher.refresh();
    this.#heartbeat(config);
    this.#lastReload = { ok: true, at: this.#clock.now() };
    this.#log.info('config reloaded', { monitors: this.monitors.size, hooks: this.#hooks.size });
  }

  /** Notes a reload that found the config invalid (and so kept the running one), for metrics. */
  noteReloadFailed(): void {
    this.#lastReload = { ok: false, at: this.#clock.now() };
  }

  /** Stops accepting, commits what was received, gives deliveries a bounded time, closes the database. */
  async close(): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    this.#commit.flush();
    await Promise.race([closed, new Promise((r) => setTimeout(r, this.#drainMs).unref())]);
    this.#server.closeAllConnections();
    this.#commit.flush();
    await this.health.close();
    this.#scheduler.close();
    this.#outboxTimer.close();
    this.#clock.close();
    await this.dispatcher.close(this.#drainMs);
    this.store.close();
    this.#lock.release();
  }

  /** A step moves every monitor's times with it; a suspend is treated like a restart. */
  #clockStepped({ stepMs, suspendedMs, at }: ClockStep): void {
    if (stepMs !== 0) this.monitors.rebase(stepMs);
    if (suspendedMs !== 0) this.monitors.resumed(at);
  }

  /** Starts, changes or stops the outgoing heartbeat (server.heartbeat). */
  #heartbeat(config: Config): void {
    const h = config.server.heartbeat;
    if (h === null) return this.health.configure(null, null);
    const bounds = { maxLatenessMs: h.maxLatenessMs, maxAlertAgeMs: h.maxAlertAgeMs };
    this.health.configure({ everyMs: h.everyMs, bounds }, heartbeatSender(h));
  }

  #intake(): PingIntake {
    return {
      byToken: (token) => this.monitors.byToken(token)?.config,
      bySlug: (slug) => this.monitors.bySlug(slug)?.config,
      submit: (ping, done) => this.#commit.submit(ping, done),
      storeFailed: (error) =>
        this.#faults.failed('cannot store pings; answering 503 until the fault clears', error),
    };
  }

  /** What the HTTP side reads of the config, built once per reload (and when the address is known). */
  #settingsOf(config: Config): HttpSettings {
    const { server } = config;
    return {
      pingKey: server.pingKey,
      bodyLimit: server.bodyLimit,
      trustProxy: server.trustProxy,
      apiToken: server.apiToken,
      readToken: server.readToken,
      metricsToken: server.metricsToken,
      public: server.public,
      baseUrl: server.publicUrl ?? this.#url,
      configFile: config.file,
    };
  }

  async #listen(fd: number | null): Promise<void> {
    // Start-up's garbage goes now, not in pauses of the first minutes of serving.
    collectGarbage();
    const { host, port } = this.#config.server;
    this.#url = await listen(this.#server, { host, port, fd });
    this.#settings = this.#settingsOf(this.#config);
    this.#log.info('listening', {
      url: this.#url,
      monitors: this.monitors.size,
      // Where a person looks first; without status-page in server.public it asks for a token.
      'status-page': `${(this.#config.server.publicUrl ?? this.#url).replace(/\/$/, '')}/`,
      ...(fd === null ? {} : { socket: 'from systemd' }),
    });
  }
}
