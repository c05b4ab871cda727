#!/usr/bin/env node
// `npm run release`: everything a release publishes, in release/:
//
//   overdue-<v>-linux-x64, overdue-<v>-linux-arm64     the executables
//   overdue_<v>_amd64.deb, overdue_<v>_arm64.deb       Debian packages (lintian-checked)
//   overdue-<v>-image-x64.oci.tar, ...-arm64.oci.tar   OCI image archives
//   SHA256SUMS                                         `sha256sum -c SHA256SUMS` checks them all
//
// Needs root (the image layer records owners; lintian and dpkg-deb run as it too) and Debian's
// qemu-user-static, g++-aarch64-linux-gnu, umoci and lintian. Options: --arch x64 builds one
// architecture; --compression gzip makes the .debs faster to build (xz is the default).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { buildDeb, lint } from './deb.mjs';
import { buildImage } from './image.mjs';
import {
  BINARY,
  fail,
  formatSize,
  logger,
  option,
  ReleaseError,
  ROOT,
  sha256File,
  VERSION,
} from './lib.mjs';

const OUT = join(ROOT, 'release');
const log = logger('release');

function buildBinary(arch) {
  log(`building the ${arch} executable (scripts/build-binary.mjs --arch=${arch})`);
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'build-binary.mjs'), `--arch=${arch}`],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) fail(`build-binary --arch=${arch} failed`);
}

function main() {
  const argv = process.argv.slice(2);
  const only = option(argv, 'arch', undefined);
  const arches = only === undefined ? ['x64', 'arm64'] : [only];
  const compression = option(argv, 'compression', 'xz');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  const missing = new Set();
  for (const arch of arches) {
    buildBinary(arch);
    const file = join(OUT, `overdue-${VERSION}-linux-${arch}`);
    copyFileSync(BINARY[arch], file);
    chmodSync(file, 0o755);
    const { deb, missing: left } = buildDeb({ arch, out: OUT, compression });
    for (const what of left) missing.add(what);
    lint(deb);
    buildImage({ arch, out: OUT });
  }
  const names = readdirSync(OUT).sort();
  writeFileSync(
    join(OUT, 'SHA256SUMS'),
    names.map((n) => `${sha256File(join(OUT, n))}  ${n}\n`).join(''),
  );
  log('release/:');
  for (const name of [...names, 'SHA256SUMS'])
    log(`   ${name}  ${formatSize(statSync(join(OUT, name)).size)}`);
  for (const what of missing) log(`   not in the .debs: ${what}`);
}

try {
  main();
} catch (error) {
  const message = error instanceof ReleaseError ? error.message : (error?.stack ?? String(error));
  process.stderr.write(`\nrelease FAILED: ${message}\n`);
  process.exitCode = 1;
}
