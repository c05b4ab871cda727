// From validated values to the Config the daemon uses: defaults applied, paths resolved, and the
// checks that need more than one value (a cron expression in its monitor's time zone).
import { DEFAULT_POLICY } from '../core/types.js';
import { dirname, resolve } from 'node:path';
import type { AlertPolicy, Schedule } from '../core/types.js';
import type { Ctx } from '../schema-kit/walk-context.js';
import { defaultOf } from '../schema-kit/schema.js';
import type { SchemaValue } from '../schema-kit/schema.js';
import { toHookConfig, type HookConfig } from '../hooks/registry.js';
import { dependencyCycles } from './dependency-checks.js';
import { toTopWindows, toWindows, windowsOf } from './maintenance-checks.js';
import { runRuleProblems } from './run-rule-checks.js';
import { cronProblem } from './schedule-checks.js';
import { configSchema } from './schema.js';
import type { autoProvisionSchema, defaultsSchema, monitorSchema, serverSchema } from './schema.js';
import type {
  AutoProvisionConfig,
  Config,
  HeartbeatConfig,
  MonitorConfig,
  ServerConfig,
} from './types.js';

type RootValue = SchemaValue<typeof configSchema>;
type ServerValue = SchemaValue<typeof serverSchema>;
type DefaultsValue = SchemaValue<typeof defaultsSchema>;
type MonitorValue = SchemaValue<typeof monitorSchema>;
type AutoProvisionValue = SchemaValue<typeof autoProvisionSchema>;

const builtInDefaults: DefaultsValue = defaultOf(configSchema.fields.defaults);

/**
 * The config, or undefined when a part of it was invalid. Problems found here go to ctx; parts
 * that are undefined were invalid and have been reported already, so they are skipped silently.
 */
export function buildConfig(root: RootValue, file: string, ctx: Ctx): Config | undefined {
  const server = root.server && toServer(root.server, file);
  const hooks = new Map<string, HookConfig>();
  // Hooks link to the monitor's page; with a broken server section there are no links.
  const publicUrl = server?.publicUrl ?? null;
  for (const [name, value] of root.hooks ?? []) {
    const hook = toHookConfig(name, value, publicUrl, ctx);
    if (hook !== undefined) hooks.set(name, hook);
  }
  const monitors = new Map<string, MonitorConfig>();
  // With a broken defaults section, the built-in defaults still let every monitor be checked.
  const defaults = root.defaults ?? builtInDefaults;
  const shared = new Shared(defaults);
  const top = toTopWindows(root.maintenance ?? [], ctx);
  for (const [slug, value] of root.monitors ?? []) {
    const monitor = toMonitor(slug, value, defaults, ctx, shared);
    const own = toWindows(value.maintenance ?? [], ctx);
    const maintenance = monitor && windowsOf(own, top, monitor.tags);
    if (monitor !== undefined && maintenance !== undefined)
      monitors.set(slug, maintenance.length === 0 ? monitor : { ...monitor, maintenance });
  }
  // A cycle is reported at the depends-on entry that closes it; the monitors stay (so every other
  // problem is still found), but the config is invalid.
  dependencyCycles(root.monitors ?? new Map(), ctx);
  const auto = root['auto-provision'];
  if (server === undefined || auto === undefined) return undefined;
  const autoProvision = toAutoProvision(auto, defaults);
  return autoProvision && { file, server, hooks, monitors, autoProvision };
}

function toAutoProvision(a: AutoProvisionValue, d: DefaultsValue): AutoProvisionConfig | undefined {
  const graceMs = a.grace ?? d.grace;
  const notify = a.notify ?? d.notify;
  const maxMonitors = a['max-monitors'];
  if (
    a.enabled === undefined ||
    a.every === undefined ||
    graceMs === undefined ||
    notify === undefined ||
    maxMonitors === undefined
  ) {
    return undefined;
  }
  const policy = policyOf({}, d);
  return { enabled: a.enabled, periodMs: a.every, graceMs, notify, policy, maxMonitors };
}

function policyOf(m: Partial<DefaultsValue>, d: DefaultsValue): AlertPolicy {
  return {
    events: new Set(m.events ?? d.events ?? DEFAULT_POLICY.events),
    alertAfter: m['alert-after'] ?? d['alert-after'] ?? DEFAULT_POLICY.alertAfter,
    repeatMs: m.repeat ?? d.repeat ?? DEFAULT_POLICY.repeatMs,
  };
}

function toServer(v: ServerValue, file: string): ServerConfig | undefined {
  const { listen, 'data-dir': dataDir, 'ping-key': pingKey, 'body-limit': bodyLimit } = v;
  const { 'keep-pings': keepPings, 'trust-proxy': trustProxy, 'public-url': publicUrl } = v;
  const { 'api-token': apiToken, 'read-token': readToken, 'metrics-token': metricsToken } = v;
  if (listen === undefined || dataDir === undefined || pingKey === undefined) return undefined;
  if (bodyLimit === undefined || keepPings === undefined) return undefined;
  if (trustProxy === undefined || publicUrl === undefined || apiToken === undefined)
    return undefined;
  if (readToken === undefined || metricsToken === undefined || v.public === undefined)
    return undefined;
  return {
    host: listen.host,
    port: listen.port,
    // Relative to the file, not to the working directory, so that a unit file can start the
    // daemon from anywhere.
    dataDir: resolve(dirname(file), dataDir),
    pingKey,
    bodyLimit,
    keepPings,
    trustProxy,
    publicUrl,
    apiToken,
    readToken,
    metricsToken,
    public: v.public,
    heartbeat: v.heartbeat === undefined ? null : toHeartbeat(v.heartbeat),
  };
}

function toHeartbeat(h: NonNullable<ServerValue['heartbeat']>): HeartbeatConfig | null {
  const { url, every, timeout } = h;
  const { 'max-lateness': maxLatenessMs, 'max-alert-age': maxAlertAgeMs } = h;
  if (url === undefined || every === undefined || timeout === undefined) return null;
  if (maxLatenessMs === undefined || maxAlertAgeMs === undefined) return null;
  // Healthchecks, overdue and most switches take a failure at the ping URL plus /fail.
  const failUrl = h['fail-url'] ?? `${url.replace(/\/+$/, '')}/fail`;
  return { url, failUrl, everyMs: every, timeoutMs: timeout, maxLatenessMs, maxAlertAgeMs };
}

/**
 * One object for all the monitors whose part (a policy, a schedule, a list) is the same: parts are
 * never changed once built, and 100 000 monitors then hold a few dozen of them, not 100 000 each.
 */
class Shared {
  readonly #byKey = new Map<string, unknown>();
  readonly #defaults: DefaultsValue;
  #defaultPolicy: AlertPolicy | undefined;

  constructor(defaults: DefaultsValue) {
    this.#defaults = defaults;
  }

  of<T>(key: string, value: T): T {
    const known = this.#byKey.get(key) as T | undefined;
    if (known !== undefined) return known;
    this.#byKey.set(key, value);
    return value;
  }

  list(values: readonly string[]): readonly string[] {
    if (values.length === 0) return NONE;
    return this.of(values.length === 1 ? `1 ${values[0]}` : JSON.stringify(values), values);
  }

  /** The policy of monitor `m`: most take every part of it from the defaults. */
  policy(m: Partial<DefaultsValue>): AlertPolicy {
    if (m.events === undefined && m['alert-after'] === undefined && m.repeat === undefined) {
      return (this.#defaultPolicy ??= policyOf({}, this.#defaults));
    }
    const p = policyOf(m, this.#defaults);
    return this.of(`policy ${[...p.events].join()} ${p.alertAfter} ${p.repeatMs}`, p);
  }

  schedule(s: Schedule): Schedule {
    const key = s.kind === 'every' ? `${s.periodMs}` : `${s.expr} ${s.timezone}`;
    return this.of(`${s.kind} ${key}`, s);
  }
}

const NONE: readonly string[] = [];

function toMonitor(
  slug: string,
  m: MonitorValue,
  d: DefaultsValue,
  ctx: Ctx,
  shared: Shared,
): MonitorConfig | undefined {
  const schedule = toSchedule(m, d, ctx);
  const graceMs = m.grace ?? d.grace;
  const maxRuntimeMs = m['max-runtime'] ?? d['max-runtime'] ?? graceMs;
  const notify = m.notify ?? d.notify;
  const waitForFirstPing = m['wait-for-first-ping'] ?? d['wait-for-first-ping'];
  const tags = m.tags ?? d.tags;
  if (schedule === undefined || graceMs === undefined || tags === undefined) return undefined;
  if (maxRuntimeMs === undefined || notify === undefined || waitForFirstPing === undefined) {
    return undefined;
  }
  const rules = runRuleProblems(m, d, schedule, maxRuntimeMs, ctx);
  if (rules === undefined) return undefined;
  const name = m.name ?? slug;
  // Every field written out, in one order: a spread here made each of 100 000 monitors an object
  // of its own shape (2.5x the parse time and the memory of a large config, bench:scale).
  return {
    slug,
    name,
    schedule: shared.schedule(schedule),
    graceMs,
    maxRuntimeMs,
    minRuntimeMs: rules.minRuntimeMs,
    earlyMs: rules.earlyMs,
    waitForFirstPing,
    policy: shared.policy(m),
    provisioned: false,
    tags: shared.list(tags),
    dependsOn: shared.list(m['depends-on']?.value ?? NONE),
    notify: shared.list(notify),
    token: m.token?.[0] ?? null,
    // Not shared: a monitor's tokens are its own.
    tokens: m.token ?? NONE,
  };
}

function toSchedule(m: MonitorValue, d: DefaultsValue, ctx: Ctx): Schedule | undefined {
  if (m.every !== undefined) {
    return m.cron === undefined ? { kind: 'every', periodMs: m.every } : undefined;
  }
  const timezone = m.timezone ?? d.timezone;
  if (m.cron === undefined || timezone === undefined) return undefined;
  const problem = cronProblem(m.cron.value, timezone);
  if (problem === null) return { kind: 'cron', expr: m.cron.value, timezone };
  ctx.problem(m.cron.node, m.cron.path, problem);
  return undefined;
}
