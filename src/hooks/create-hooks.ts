// The registry of hook kinds: command, webhook, and the presets (registered in presets/index.ts).
import type { HookConfig, HookCommon } from '../config/types.js';
import { createCommandHook } from './command.js';
import type { Hook } from '../core/hook.js';
import type { Preset } from './preset.js';
import { presets } from './presets/index.js';
import { createWebhookHook } from './webhook.js';

export function createHook(config: HookConfig): Hook {
  if (config.kind === 'command') return createCommandHook(config);
  if (config.kind === 'webhook') return createWebhookHook(config);
  // The union of presets cannot tie a kind to its options' type; the loader built them together.
  return createPresetHook(presets[config.kind] as Preset<unknown>, config);
}

function createPresetHook<O>(preset: Preset<O>, config: HookCommon & { options: O }): Hook {
  return {
    name: config.name,
    target: preset.target(config.options),
    deliver: (alert) => preset.deliver(config.options, alert, config),
  };
}

export function createHooks(configs: ReadonlyMap<string, HookConfig>): Map<string, Hook> {
  return new Map([...configs].map(([name, config]) => [name, createHook(config)]));
}
