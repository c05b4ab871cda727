// Config files for tests, built from values instead of written out by hand: the server block every
// daemon-backed test repeats comes from here, and what a test changes is all a test has to say.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The ping key of the configs built here, unless a test gives its own. */
export const TEST_PING_KEY = 'test-ping-key-0123456789';

export type YamlValue =
  | string
  | number
  | boolean
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

/**
 * A top-level section: its keys and values (a key whose value is undefined is left out), or YAML
 * text written under the section's key as it is (its lines indented by two spaces).
 */
export type Section = { readonly [key: string]: YamlValue | undefined } | string;

/** The sections of a config, written in the order given after `server`. */
export interface ConfigSections {
  /**
   * Keys over the defaults: `listen: 127.0.0.1:0` and `ping-key:` TEST_PING_KEY (undefined leaves
   * one out). data-dir keeps its default, ./data beside the config file: in the test's temp dir.
   */
  readonly server?: { readonly [key: string]: YamlValue | undefined };
  readonly [section: string]: Section | undefined;
}

/** The text of a config of `sections`. */
export function configYaml(sections: ConfigSections = {}): string {
  const { server, ...rest } = sections;
  const parts = [
    stringify(
      { server: { listen: '127.0.0.1:0', 'ping-key': TEST_PING_KEY, ...server } },
      { lineWidth: 0 },
    ),
  ];
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    parts.push(
      typeof value === 'string'
        ? `${key}:\n${value.endsWith('\n') || value === '' ? value : `${value}\n`}`
        : stringify({ [key]: value }, { lineWidth: 0 }),
    );
  }
  return parts.join('');
}

/** Writes a config of `sections` as `name` in `dir` and returns the file's path. */
export function writeConfigYaml(dir: string, sections: ConfigSections = {}, name = 'config.yaml') {
  const file = join(dir, name);
  writeFileSync(file, configYaml(sections));
  return file;
}

/**
 * The config of a load trial, written to `dir/name`: `count` monitors `job-0`, `job-1`... (every
 * hour, so none falls due) on `dataDir`, keeping every ping so that each acknowledged one can be
 * looked for afterwards.
 */
export function writeJobsConfig(dir: string, dataDir: string, count: number, name: string) {
  const monitors = Array.from({ length: count }, (_, m) => [`job-${m}`, { every: '1h' }] as const);
  return writeConfigYaml(
    dir,
    {
      server: { 'data-dir': dataDir, 'keep-pings': 1_000_000 },
      monitors: Object.fromEntries(monitors),
    },
    name,
  );
}
