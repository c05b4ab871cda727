// The registry of presets: adding one is a new file in this folder and one line here.
import type { Preset } from '../preset.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { gotify } from './gotify.js';
import { matrix } from './matrix.js';
import { ntfy } from './ntfy.js';
import { pushover } from './pushover.js';
import { slack } from './slack.js';
import { telegram } from './telegram.js';

export const presets = { ntfy, gotify, telegram, slack, discord, pushover, matrix, email } as const;

export type PresetName = keyof typeof presets;

/** The options each preset's schema produces. */
export type PresetOptions = {
  readonly [K in PresetName]: (typeof presets)[K] extends Preset<infer O> ? O : never;
};
