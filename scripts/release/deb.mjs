#!/usr/bin/env node
// Builds overdue_<version>_<arch>.deb from the executable of build-binary.mjs, with dpkg-deb.
//
//   node scripts/release/deb.mjs [--arch x64|arm64] [--version V] [--out DIR]
//                                [--compression xz|gzip|none] [--stage DIR] [--lintian]
//
// What goes where (docs/install.md lists it for users):
//   /usr/bin/overdue                                   the executable
//   /usr/lib/systemd/system/overdue.service (+.socket) the unit, ExecStart=/usr/bin/overdue
//   /etc/overdue/config.yaml                           the starter config, a conffile
//   /etc/overdue/secrets.env                           not in the package: postinst writes it
//   /usr/share/overdue/config.schema.json, config.example.yaml
//   /usr/share/man/man1/overdue.1.gz, shell completions (when the executable can print them)
//   /usr/share/doc/overdue/copyright, changelog.gz
// The units, the man page, the completions and the schema are printed by the executable itself
// (run under qemu for arm64), so they always describe the binary they ship with.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  BINARY,
  DEB_ARCH,
  EXEC,
  fail,
  formatSize,
  logger,
  option,
  ReleaseError,
  ROOT,
  run,
  runBinary,
  sourceDateEpoch,
  VERSION,
} from './lib.mjs';

const HERE = join(ROOT, 'scripts', 'release', 'deb');
const log = logger('deb');

/** The newest glibc symbol version the executable needs: its libc6 dependency. */
function glibcNeeded(binary) {
  const versions = run('readelf', ['-V', binary]).match(/GLIBC_2\.\d+/g) ?? [];
  const minor = Math.max(...versions.map((v) => Number(v.slice('GLIBC_2.'.length))));
  return `2.${minor}`;
}

/** `overdue <args>` of the staged executable, or null when it does not know the command. */
function printed(arch, binary, args) {
  const [command = binary, ...prefix] = EXEC[arch];
  const all = [...prefix, ...(EXEC[arch].length > 0 ? [binary] : []), ...args];
  const r = spawnSync(command, all, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return r.status === 0 && r.stdout.length > 0 ? r.stdout : null;
}

function write(stage, path, content, mode = 0o644) {
  const file = join(stage, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

// gzip -9n: no name, no time in the header, so the same input gives the same bytes.
const gz = (text) => gzipSync(text, { level: 9 });

/** The units, printed by the executable (`overdue systemd-unit [--socket]`), for /usr/bin. */
function unitFiles(stage, arch, binary) {
  const missing = [];
  for (const [name, args] of [
    ['overdue.service', ['systemd-unit']],
    ['overdue.socket', ['systemd-unit', '--socket']],
  ]) {
    const unit = printed(arch, binary, args);
    if (unit === null) missing.push(`${name} (\`overdue ${args.join(' ')}\`)`);
    else
      write(
        stage,
        `usr/lib/systemd/system/${name}`,
        unit.replaceAll('/usr/local/bin/', '/usr/bin/'),
      );
  }
  return missing;
}

/** The man page and completions, printed by the executable; returns what it could not print. */
function generatedDocs(stage, arch, binary) {
  const missing = [];
  const man = printed(arch, binary, ['man']);
  if (man === null) missing.push('man page (`overdue man`)');
  else write(stage, 'usr/share/man/man1/overdue.1.gz', gz(man));
  const completions = {
    bash: 'usr/share/bash-completion/completions/overdue',
    zsh: 'usr/share/zsh/vendor-completions/_overdue',
    fish: 'usr/share/fish/vendor_completions.d/overdue.fish',
  };
  for (const [shell, path] of Object.entries(completions)) {
    const text = printed(arch, binary, ['completion', shell]);
    if (text === null) missing.push(`${shell} completion (\`overdue completion ${shell}\`)`);
    else write(stage, path, text);
  }
  return missing;
}

function changelog(version, epoch) {
  const date = new Date(epoch * 1000).toUTCString().replace('GMT', '+0000');
  return [
    `overdue (${version}) unstable; urgency=medium`,
    '',
    `  * Release ${version}; see CHANGELOG.md of the source for what changed.`,
    '',
    ` -- overdue maintainers <maintainers@overdue.invalid>  ${date}`,
    '',
  ].join('\n');
}

function control(arch, version, stage, binary) {
  const kib = Math.ceil(du(stage) / 1024);
  return [
    'Package: overdue',
    `Version: ${version}`,
    `Architecture: ${DEB_ARCH[arch]}`,
    'Maintainer: overdue maintainers <maintainers@overdue.invalid>',
    `Installed-Size: ${kib}`,
    // From the executable's versioned symbols (Node's own binary): glibc and the C++ runtime.
    `Depends: libc6 (>= ${glibcNeeded(binary)}), libgcc-s1, libstdc++6 (>= 5)`,
    'Section: admin',
    'Priority: optional',
    "Description: dead-man's switch for cron jobs, backups and other scheduled work",
    ' Jobs ping overdue when they finish. When a ping does not arrive in time, or a',
    ' job reports failure, overdue alerts through a command or an HTTP request',
    ' (ntfy, Gotify, Telegram, Slack, email and others). Monitors live in a YAML',
    ' file, history in SQLite. One executable with Node.js embedded; it runs under',
    ' systemd as a dynamic user.',
    '',
  ].join('\n');
}

function du(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function md5sums(stage) {
  const lines = [];
  for (const entry of readdirSync(stage, { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath, entry.name);
    const path = relative(stage, file);
    if (!entry.isFile() || path.startsWith('DEBIAN')) continue;
    lines.push(`${createHash('md5').update(readFileSync(file)).digest('hex')}  ${path}`);
  }
  return lines.sort().join('\n') + '\n';
}

/** Every file and directory gets the same mtime, so two builds give the same tar members. */
function stampTimes(stage, epoch) {
  for (const entry of readdirSync(stage, { withFileTypes: true, recursive: true })) {
    utimesSync(join(entry.parentPath, entry.name), epoch, epoch);
  }
  utimesSync(stage, epoch, epoch);
}

export function buildDeb({ arch = 'x64', version = VERSION, out, compression = 'xz', stageDir }) {
  const binary = BINARY[arch];
  if (binary === undefined) fail(`--arch ${arch}: expected x64 or arm64`);
  if (!existsSync(binary)) fail(`${binary} is missing: run npm run build:binary -- --arch=${arch}`);
  const epoch = sourceDateEpoch();
  const name = `overdue_${version}_${DEB_ARCH[arch]}`;
  const stage = join(stageDir ?? join(ROOT, 'build', 'deb'), name);
  rmSync(stage, { recursive: true, force: true });
  log(`staging ${relative(ROOT, stage)}`);
  mkdirSync(join(stage, 'usr', 'bin'), { recursive: true });
  copyFileSync(binary, join(stage, 'usr', 'bin', 'overdue'));
  chmodSync(join(stage, 'usr', 'bin', 'overdue'), 0o755);
  const staged = join(stage, 'usr', 'bin', 'overdue');
  const missing = unitFiles(stage, arch, staged);
  write(stage, 'etc/overdue/config.yaml', readFileSync(join(HERE, 'config.yaml')));
  write(
    stage,
    'usr/share/overdue/config.example.yaml',
    readFileSync(join(ROOT, 'config.example.yaml')),
  );
  write(stage, 'usr/share/overdue/config.schema.json', runBinary(arch, staged, ['schema']));
  missing.push(...generatedDocs(stage, arch, staged));
  write(stage, 'usr/share/doc/overdue/copyright', readFileSync(join(HERE, 'copyright')));
  write(
    stage,
    'usr/share/lintian/overrides/overdue',
    readFileSync(join(HERE, 'lintian-overrides')),
  );
  write(stage, 'usr/share/doc/overdue/changelog.gz', gz(changelog(version, epoch)));
  write(stage, 'DEBIAN/control', control(arch, version, stage, binary));
  write(stage, 'DEBIAN/conffiles', '/etc/overdue/config.yaml\n');
  write(stage, 'DEBIAN/md5sums', md5sums(stage));
  for (const script of ['postinst', 'prerm', 'postrm']) {
    write(stage, `DEBIAN/${script}`, readFileSync(join(HERE, script)), 0o755);
  }
  for (const entry of readdirSync(stage, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) chmodSync(join(entry.parentPath, entry.name), 0o755);
  }
  stampTimes(stage, epoch);
  mkdirSync(out, { recursive: true });
  const deb = join(out, `${name}.deb`);
  log(`dpkg-deb -Z${compression} ${relative(ROOT, deb)}`);
  run('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', stage, deb], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
  });
  for (const what of missing) log(`   not in the package: ${what}`);
  log(`${relative(ROOT, deb)}: ${formatSize(statSync(deb).size)}`);
  return { deb, missing };
}

/** lintian's verdict; errors fail, other tags are printed (the expected ones are explained in docs/install.md). */
export function lint(deb) {
  const r = spawnSync('lintian', ['--fail-on', 'error', '--tag-display-limit', '0', deb], {
    encoding: 'utf8',
  });
  if (r.error) fail('lintian is not installed (apt-get install lintian)');
  process.stdout.write(r.stdout + r.stderr);
  if (r.status !== 0) fail(`lintian found errors in ${deb}`);
  log(`lintian: no errors in ${relative(ROOT, deb)}`);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  try {
    const argv = process.argv.slice(2);
    const { deb } = buildDeb({
      arch: option(argv, 'arch', 'x64'),
      version: option(argv, 'version', VERSION),
      out: option(argv, 'out', join(ROOT, 'release')),
      compression: option(argv, 'compression', 'xz'),
      stageDir: option(argv, 'stage', process.env.OVERDUE_DEB_STAGE),
    });
    if (argv.includes('--lintian')) lint(deb);
  } catch (error) {
    const message = error instanceof ReleaseError ? error.message : (error?.stack ?? String(error));
    process.stderr.write(`\ndeb FAILED: ${message}\n`);
    process.exitCode = 1;
  }
}
