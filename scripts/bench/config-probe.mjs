// One timing of one way to load a config file, in a fresh process (cold, as at start-up), for
// scripts/bench/scale.mjs. Prints one JSON line: { mode, ms, ... }.
//
//   node scripts/bench/config-probe.mjs FILE MODE
//
// Modes:
//   yaml-parse          yaml's parse(): text to plain JS (the baseline: the YAML alone)
//   yaml-document       yaml's parseDocument() with the options overdue's loader passes
//   yaml-document-default  parseDocument() with yaml's defaults (its uniqueKeys check on)
//   yaml-lexer          yaml's Lexer alone: text to tokens
//   yaml-parser         yaml's Parser: text to the CST (the Lexer included)
//   yaml-compose        Parser + Composer: the CST to a Document (what parseDocument does)
//   js-yaml             js-yaml's load() (from $JS_YAML, /tmp/yaml-alt, or node_modules)
//   MODE+plain-env      MODE with process.env replaced by a plain object first: yaml's Parser reads
//                       process.env.LOG_TOKENS once per token (and its Composer LOG_STREAM), and a
//                       read of the real process.env is a call into C++ (getenv)
//   parse-config        overdue's parseConfig(): YAML, schema validation and the Config
//   daemon              overdue in-process, each step timed: parseConfig, nextDeadline for every
//                       monitor (compiling each cron schedule), the DeadlineHeap build,
//                       Daemon.start on an empty database, Store open + loadMonitors on it
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, modeArg] = process.argv.slice(2);
const mode = modeArg.replace(/\+plain-env$/, '');
if (mode !== modeArg) process.env = { ...process.env };
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const DIST = process.env.OVERDUE_DIST ?? join(ROOT, 'dist');
const dist = (p) => import(pathToFileURL(join(DIST, p)).href);
const require = createRequire(import.meta.url);

const time = (fn) => {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
};
const ms = (x) => Math.round(x * 10) / 10;
const mib = () => Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;

function jsYaml() {
  for (const dir of [process.env.JS_YAML, '/tmp/yaml-alt/node_modules/js-yaml']) {
    if (!dir) continue;
    try {
      const mod = require(dir);
      return { mod, version: require(join(dir, 'package.json')).version, from: dir };
    } catch {
      // try the next one
    }
  }
  const dir = dirname(require.resolve('js-yaml/package.json'));
  return { mod: require('js-yaml'), version: require('js-yaml/package.json').version, from: dir };
}

async function main() {
  const text = readFileSync(file, 'utf8');
  const out = { mode: modeArg, bytes: text.length };
  const yaml = await import('yaml');
  switch (mode) {
    case 'yaml-parse':
      out.ms = time(() => yaml.parse(text, { uniqueKeys: false }))[0];
      break;
    case 'yaml-document':
      out.ms = time(() =>
        yaml.parseDocument(text, {
          lineCounter: new yaml.LineCounter(),
          prettyErrors: false,
          uniqueKeys: false,
        }),
      )[0];
      break;
    case 'yaml-document-default':
      out.ms = time(() => yaml.parseDocument(text))[0];
      break;
    case 'yaml-lexer':
      out.ms = time(() => {
        let n = 0;
        for (const token of new yaml.Lexer().lex(text)) n += token.length;
        return n;
      })[0];
      break;
    case 'yaml-parser':
      out.ms = time(() => {
        let n = 0;
        for (const token of new yaml.Parser().parse(text)) n += token.offset;
        return n;
      })[0];
      break;
    case 'yaml-compose':
      out.ms = time(() => {
        const composer = new yaml.Composer({ uniqueKeys: false });
        const docs = [...composer.compose(new yaml.Parser().parse(text)), ...composer.end()];
        return docs.length;
      })[0];
      break;
    case 'js-yaml': {
      const { mod, version, from } = jsYaml();
      out.version = version;
      out.from = from;
      out.ms = time(() => mod.load(text))[0];
      break;
    }
    case 'parse-config': {
      const { parseConfig } = await dist('config/load-config.js');
      const [t, result] = time(() => parseConfig(text, file, process.env));
      if (!result.ok)
        throw new Error(`invalid config: ${JSON.stringify(result.problems.slice(0, 3))}`);
      out.ms = t;
      out.monitors = result.config.monitors.size;
      break;
    }
    case 'daemon':
      Object.assign(out, await daemonSteps(text));
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  out.ms = ms(out.ms);
  out.rssMiB = mib();
  process.stdout.write(JSON.stringify(out) + '\n');
}

// Each step's figure is printed as soon as it is known ({"step": ..., "ms": ...}), so a step that
// exhausts the heap still leaves the ones before it. Cron schedules are compiled (and cached per
// schedule object) by the first nextDeadline, so nextDeadline x all runs before Daemon.start here
// and carries that cost; Daemon.start then finds them compiled.
async function daemonSteps(text) {
  const { parseConfig } = await dist('config/load-config.js');
  const { Daemon } = await dist('daemon.js');
  const { Store } = await dist('store/store.js');
  const { DeadlineHeap } = await dist('core/deadline-heap.js');
  const { initialState, nextDeadline } = await dist('core/state.js');
  const steps = {};
  const step = (name, value) => {
    steps[name] = typeof value === 'number' ? ms(value) : value;
    process.stdout.write(JSON.stringify({ step: name, value: steps[name], rssMiB: mib() }) + '\n');
  };
  const [parseMs, parsed] = time(() => parseConfig(text, file, process.env));
  if (!parsed.ok) throw new Error('invalid config');
  step('parseConfigMs', parseMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'overdue-bench-probe-'));
  try {
    const config = { ...parsed.config, server: { ...parsed.config.server, dataDir, port: 0 } };
    const now = Date.now();
    const [deadlineMs, deadlines] = time(() =>
      [...config.monitors.values()].map((mc) => [
        mc.slug,
        nextDeadline(mc, initialState(now), now)?.at ?? null,
      ]),
    );
    step('nextDeadlineAllMs', deadlineMs);
    const heap = new DeadlineHeap();
    step(
      'heapBuildMs',
      time(() => {
        for (const [slug, at] of deadlines) if (at !== null) heap.upsert(slug, at);
      })[0],
    );
    let t0 = performance.now();
    const first = await Daemon.start({ config });
    step('daemonStartMs', performance.now() - t0);
    await first.close();
    const [openMs, store] = time(() => new Store(dataDir));
    const [loadMs, rows] = time(() => store.loadMonitors());
    store.close();
    step('storeOpenMs', openMs);
    step('loadMonitorsMs', loadMs);
    step('rows', rows.size);
    return { ms: parseMs, ...steps };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`config-probe failed: ${error?.stack ?? error}`);
  process.exit(1);
});
