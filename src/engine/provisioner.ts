// Auto-provisioning at run time: creates a monitor in the database (provisioning.ts) and starts
// watching it at once, alone: a creation costs the same with 20 monitors or 20 000 (re-syncing
// every monitor per creation blocked the event loop ~0.1 s each at 20 000). The monitors it may
// create are capped by auto-provision.max-monitors.
import type { Config } from '../config/types.js';
import type { Logger } from '../platform/log.js';
import type {
  CreateRequest,
  Created,
  PingTarget,
  ProvisionChange,
  Provisioner as ProvisionerPort,
} from './intake.js';
import type { Monitors } from './monitors.js';
import type { ProvisionStore } from './ports.js';
import { provision, provisionedMonitor, slugify } from './provisioning.js';

export interface ProvisionerDeps {
  readonly store: ProvisionStore;
  readonly monitors: Monitors;
  readonly config: () => Config;
  readonly now: () => number;
  readonly log: Logger;
}

// Tries `name`, `name-2` ... `name-100` before giving up.
const MAX_SUFFIX = 100;

export class Provisioner implements ProvisionerPort {
  readonly #deps: ProvisionerDeps;
  /** Provisioned monitors running, counted once per change of the live set, then kept up to date. */
  #count = { generation: -1, running: 0 };
  /** The cap was named in the log since the count last changed by a reload. */
  #reported = false;

  constructor(deps: ProvisionerDeps) {
    this.#deps = deps;
  }

  get enabled(): boolean {
    return this.#deps.config().autoProvision.enabled;
  }

  /** Why no monitor may be created now (auto-provision.max-monitors reached), or null. */
  limitReached(): string | null {
    const max = this.#deps.config().autoProvision.maxMonitors;
    if (this.#running() < max) return null;
    return `auto-provision.max-monitors (${max}) monitors created by auto-provisioning are running: move some into the config (overdue export) or raise the setting`;
  }

  createBySlug(slug: string): PingTarget | undefined {
    const created = this.#provision({ slug, withToken: false });
    return created === null ? undefined : this.#deps.monitors.bySlug(slug)?.config;
  }

  create(request: CreateRequest): Created | null {
    const base = slugify(request.name);
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (this.#deps.monitors.bySlug(slug) !== undefined) continue;
      const created = this.#provision({ ...request, slug, withToken: true });
      if (created !== null) return created;
      if (this.limitReached() !== null) return null;
    }
    return null;
  }

  update(slug: string, change: ProvisionChange): boolean {
    const { store, monitors, config } = this.#deps;
    const row = store.provisioned().find((r) => r.slug === slug);
    if (row === undefined || monitors.bySlug(slug)?.config.provisioned !== true) return false;
    const next = {
      ...row,
      name: change.name ?? row.name,
      periodMs: change.periodMs ?? row.periodMs,
      graceMs: change.graceMs ?? row.graceMs,
    };
    if (!store.reprovision(next)) return false;
    monitors.replace(provisionedMonitor(next, config().autoProvision));
    return true;
  }

  remove(slug: string): boolean {
    const { store, monitors } = this.#deps;
    if (monitors.bySlug(slug)?.config.provisioned !== true || !store.unprovision(slug))
      return false;
    const running = this.#running();
    monitors.remove(slug);
    this.#count = { generation: monitors.generation, running: running - 1 };
    this.#deps.log.info('monitor deleted through the API', { monitor: slug });
    return true;
  }

  existing(name: string): string | undefined {
    const slug = slugify(name);
    return this.#deps.monitors.bySlug(slug) === undefined ? undefined : slug;
  }

  #provision(request: Parameters<typeof provision>[2]): Created | null {
    const { store, config, monitors, now, log } = this.#deps;
    const full = this.limitReached();
    if (full !== null) {
      if (!this.#reported) log.warn('auto-provisioning refused: the cap is reached', { full });
      this.#reported = true;
      return null;
    }
    const created = provision(store, config(), request, now());
    if (created === null) return null;
    const running = this.#running();
    monitors.add(provisionedMonitor(created.row, config().autoProvision), now());
    this.#count = { generation: monitors.generation, running: running + 1 };
    log.info('monitor created by auto-provisioning', { monitor: created.slug });
    return created;
  }

  /** Provisioned monitors in the live set: counted in full only after a reload changed it. */
  #running(): number {
    const { monitors } = this.#deps;
    if (this.#count.generation !== monitors.generation) {
      let running = 0;
      for (const m of monitors.all()) if (m.config.provisioned) running++;
      this.#count = { generation: monitors.generation, running };
      this.#reported = false;
    }
    return this.#count.running;
  }
}
