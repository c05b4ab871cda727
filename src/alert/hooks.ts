// The registry of hook kinds: adding a kind is one new file and one line here.
import type { HookConfig } from '../config/types.js';
import { createCommandHook } from './command-hook.js';
import type { Hook } from './hook.js';
import { createWebhookHook } from './webhook-hook.js';

type Factories = { [K in HookConfig['kind']]: (config: Extract<HookConfig, { kind: K }>) => Hook };

const factories: Factories = {
  command: createCommandHook,
  webhook: createWebhookHook,
};

export function createHook(config: HookConfig): Hook {
  const create = factories[config.kind] as (c: HookConfig) => Hook;
  return create(config);
}

export function createHooks(configs: ReadonlyMap<string, HookConfig>): Map<string, Hook> {
  return new Map([...configs].map(([name, config]) => [name, createHook(config)]));
}
