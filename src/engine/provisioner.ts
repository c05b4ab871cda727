// Auto-provisioning at run time: creates a monitor in the database (provisioning.ts) and starts
// watching it at once.
import type { Config } from '../config/types.js';
import type { Logger } from '../platform/log.js';
import type {
  CreateRequest,
  Created,
  PingTarget,
  Provisioner as ProvisionerPort,
} from './intake.js';
import type { Monitors } from './monitors.js';
import type { ProvisionStore } from './ports.js';
import { provision, slugify } from './provisioning.js';

export interface ProvisionerDeps {
  readonly store: ProvisionStore;
  readonly monitors: Monitors;
  readonly config: () => Config;
  readonly now: () => number;
  /** Runs the config and the provisioned monitors again (the new one among them). */
  readonly apply: () => void;
  readonly log: Logger;
}

// Tries `name`, `name-2` ... `name-100` before giving up.
const MAX_SUFFIX = 100;

export class Provisioner implements ProvisionerPort {
  readonly #deps: ProvisionerDeps;

  constructor(deps: ProvisionerDeps) {
    this.#deps = deps;
  }

  get enabled(): boolean {
    return this.#deps.config().autoProvision.enabled;
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
    }
    return null;
  }

  #provision(request: Parameters<typeof provision>[2]): Created | null {
    const { store, config, now, apply, log } = this.#deps;
    const created = provision(store, config(), request, now());
    if (created !== null) {
      apply();
      log.info('monitor created by auto-provisioning', { monitor: created.slug });
    }
    return created;
  }
}
