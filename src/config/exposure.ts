// Secrets written literally in a config file that every local user can read (its mode has o+r and
// every directory above it o+x). A credential that lets someone else act (the ping key, API
// tokens, hook passwords and bot tokens) refuses the start; a monitor token only warns, since
// those are often kept in git on purpose and only let one ping that monitor. A value written as ${VAR} is not literal: it comes from the environment
// (under systemd, EnvironmentFile=), which is how the documented setup keeps a 0644 config.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { FAST_PATH_BYTES, splitMonitors } from './large-file/fast-yaml.js';
import { parseYamlDocument } from './yaml-document.js';

export interface Exposure {
  /** The fix, when the file must not be used as it is; null when it may. */
  readonly refusal: string | null;
  readonly warnings: readonly string[];
}

const SERVER_SECRETS = new Set(['ping-key', 'api-token', 'read-token', 'metrics-token']);
/** Keys of hook settings that hold a credential, whatever the hook kind. */
const HOOK_SECRET = /^(token|bot-token|access-token|password|pass|secret|api-key|authorization)$/i;
/** Names of a command hook's `env` variables that hold a credential: CHAT_TOKEN, SMTP_PASSWORD... */
const ENV_SECRET = /(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|AUTH)/i;
/** Presets whose URL itself is the credential (Slack and Discord webhook URLs). */
const URL_SECRET_PRESETS = new Set(['slack', 'discord']);

/** What `mode` and `text` of `file` allow (both as the loader read them). */
export function exposureOf(file: string, mode: number, text: string): Exposure {
  try {
    if (!readableByOthers(resolve(file), mode)) return { refusal: null, warnings: [] };
  } catch {
    return { refusal: null, warnings: [] };
  }
  const { secrets, tokens } = literalSecrets(text);
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  const warnings =
    tokens.length === 0
      ? []
      : [
          `${file} is readable by every user (mode ${octal}) and holds monitor tokens written literally (${list(tokens)}): anyone on this host can ping those monitors. Consider chmod 640 or token: \${VAR}.`,
        ];
  if (secrets.length === 0) return { refusal: null, warnings };
  const refusal = `${file} is readable by every user (mode ${octal}) and holds secrets written literally (${list(secrets)}). Either make it private (chmod 640, owned by the user overdue runs as), or write each one as \${VAR} and set the variables in the environment (with systemd: EnvironmentFile=/etc/overdue/secrets.env, mode 600).`;
  return { refusal, warnings };
}

/**
 * The file's own mode allows others to read it, and every directory above it lets them through
 * (a 0644 file in a 0700 or 0750 directory is private in effect).
 */
function readableByOthers(file: string, mode: number): boolean {
  if ((mode & 0o004) === 0) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

function list(paths: readonly string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')}, ...`;
}

/** Dotted paths of secrets and of monitor tokens written as literal values. */
export function literalSecrets(text: string): { secrets: string[]; tokens: string[] } {
  const read = readRoot(text);
  if (read === null) return { secrets: [], tokens: [] };
  const secrets: string[] = [];
  const tokens: string[] = [];
  const server = entries(field(read.root, 'server'));
  for (const [key, value] of server) {
    if (SERVER_SECRETS.has(key) && literal(value)) secrets.push(`server.${key}`);
  }
  for (const [name, hook] of entries(field(read.root, 'hooks')))
    hookSecrets(hook, `hooks.${name}`, secrets);
  for (const [slug, monitor] of read.monitors) {
    const token = field(monitor, 'token');
    const values = Array.isArray(token) ? (token as unknown[]) : [token];
    if (values.some(literal)) tokens.push(`monitors.${slug}.token`);
  }
  return { secrets, tokens };
}

/** The plain value of a YAML text; throws when it has a problem (the loader reports those). */
function parse(text: string): unknown {
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) throw new Error('nested too deeply');
  if (parsed.doc.errors.length > 0) throw new Error('not valid YAML');
  return parsed.doc.toJS({ maxAliasCount: 1000 });
}

/**
 * The file's top level, and its monitors as [slug, value]; null when it is not YAML at all.
 * `fast` says the monitors came from the fast reader.
 */
export function readRoot(
  text: string,
): { root: unknown; monitors: [string, unknown][]; fast: boolean } | null {
  // A large file's monitors are read as the loader reads them: yaml would take 10 s for 100 000.
  const split = text.length >= FAST_PATH_BYTES ? splitMonitors(text) : null;
  if (split !== null) {
    try {
      const root: unknown = parse(split.rest);
      return { root, monitors: monitorEntries(split.monitors), fast: true };
    } catch {
      // YAML the fast reader leaves to yaml (LeftToYaml), or a broken file: read it whole.
    }
  }
  try {
    const root: unknown = parse(text);
    return { root, monitors: entries(field(root, 'monitors')), fast: false };
  } catch {
    return null;
  }
}

/** Each monitor of the fast reader's map as [slug, its plain value]. */
function monitorEntries(map: YAMLMap): [string, unknown][] {
  const out: [string, unknown][] = [];
  // Read as an iterable: the fast reader reads each pair as it is reached (see readBlockMap).
  for (const pair of map.items as Iterable<Pair>) {
    out.push([String((pair.key as Scalar).value), toJS(pair.value)]);
  }
  return out;
}

function toJS(node: unknown): unknown {
  return isMap(node) || isSeq(node) || isScalar(node) ? node.toJSON() : node;
}

function hookSecrets(value: unknown, path: string, out: string[]): void {
  for (const [key, inner] of entries(value)) {
    const here = `${path}.${key}`;
    if (key === 'env' && path.endsWith('.command')) envSecrets(inner, here, out);
    else if (HOOK_SECRET.test(key) && literal(inner)) out.push(here);
    else if (URL_SECRET_PRESETS.has(key) && literal(field(inner, 'url'))) out.push(`${here}.url`);
    // A password in a URL: https://user:password@host/...
    else if (literal(inner) && /\/\/[^/@\s]*:[^/@\s]+@/.test(String(inner))) out.push(here);
    else hookSecrets(inner, here, out);
  }
}

function envSecrets(env: unknown, path: string, out: string[]): void {
  for (const [name, value] of entries(env)) {
    if (ENV_SECRET.test(name) && literal(value)) out.push(`${path}.${name}`);
  }
}

/** A value written in the file itself rather than taken from the environment. */
function literal(value: unknown): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value !== '' && !value.includes('${');
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
