#!/usr/bin/env node
// Builds the container image as an OCI archive, without pulling a base image: a root filesystem
// holding the executable and exactly the shared libraries it loads (found from its ELF NEEDED
// entries), a non-root user, /data as a volume. Made with Debian's umoci (apt-get install umoci),
// as root (the files' owners go into the layer as they are on disk).
//
//   node scripts/release/image.mjs [--arch x64|arm64] [--version V] [--out DIR]
//
// Writes DIR/overdue-<version>-image-<arch>.oci.tar (an OCI image layout, tag <version>), which
// `podman load -i`, `skopeo copy oci-archive:...` and Docker 25+'s `docker load` read.
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import {
  BINARY,
  DEB_ARCH,
  fail,
  formatSize,
  logger,
  option,
  ReleaseError,
  ROOT,
  run,
  sourceDateEpoch,
  VERSION,
} from './lib.mjs';

/** The image's user: not root, and a uid no distribution assigns (as distroless's nonroot). */
export const IMAGE_UID = 65532;
const log = logger('image');

/**
 * Where the target's libraries are found here (`from`), where its dynamic loader looks for them
 * in the image (`to`, Debian's multiarch directory), and the loader's own path.
 */
const LIBS = {
  x64: {
    from: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'],
    to: 'lib/x86_64-linux-gnu',
    loader: 'lib64/ld-linux-x86-64.so.2',
  },
  arm64: {
    from: ['/usr/aarch64-linux-gnu/lib'],
    to: 'lib/aarch64-linux-gnu',
    loader: 'lib/ld-linux-aarch64.so.1',
  },
};

function needed(file) {
  const dynamic = run('readelf', ['-d', file]);
  return [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
}

/** The shared libraries `binary` loads, directly or through each other, as real files here. */
function sharedLibraries(arch, binary) {
  const found = new Map();
  const queue = needed(binary);
  while (queue.length > 0) {
    const soname = queue.shift();
    if (found.has(soname)) continue;
    const dir = LIBS[arch].from.find((d) => existsSync(join(d, soname)));
    if (dir === undefined)
      fail(`${soname} (needed by the executable) is not in ${LIBS[arch].from}`);
    const file = realpathSync(join(dir, soname));
    found.set(soname, file);
    queue.push(...needed(file));
  }
  return found;
}

function stageRootfs(arch, rootfs) {
  rmSync(rootfs, { recursive: true, force: true });
  const dir = (path, mode = 0o755, uid = 0) => {
    mkdirSync(join(rootfs, path), { recursive: true });
    chmodSync(join(rootfs, path), mode);
    chownSync(join(rootfs, path), uid, uid);
  };
  dir('usr/bin');
  cpSync(BINARY[arch], join(rootfs, 'usr/bin/overdue'));
  chmodSync(join(rootfs, 'usr/bin/overdue'), 0o755);
  dir(LIBS[arch].to);
  for (const [soname, file] of sharedLibraries(arch, BINARY[arch])) {
    const path = soname.startsWith('ld-linux') ? LIBS[arch].loader : join(LIBS[arch].to, soname);
    mkdirSync(join(rootfs, path, '..'), { recursive: true });
    cpSync(file, join(rootfs, path));
    log(`   ${path} <- ${file}`);
  }
  dir('etc');
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    `root:x:0:0:root:/root:/nonexistent\noverdue:x:${IMAGE_UID}:${IMAGE_UID}:overdue:/data:/nonexistent\n`,
  );
  writeFileSync(join(rootfs, 'etc/group'), `root:x:0:\noverdue:x:${IMAGE_UID}:\n`);
  // The config directory is mounted here (read-only is fine); the database lives in /data; the
  // executable unpacks its SQLite addon once into /var/cache/overdue.
  dir('etc/overdue');
  dir('data', 0o700, IMAGE_UID);
  dir('var/cache/overdue', 0o700, IMAGE_UID);
  dir('tmp', 0o1777);
  dir('usr/share/doc/overdue');
  cpSync(join(ROOT, 'LICENSE'), join(rootfs, 'usr/share/doc/overdue/LICENSE'));
}

/** The same mtime on every file, so two builds make the same layer. */
function stampTimes(dir, epoch) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isSymbolicLink()) utimesSync(join(entry.parentPath, entry.name), epoch, epoch);
  }
  utimesSync(dir, epoch, epoch);
}

function imageConfig(arch, version, created) {
  const labels = {
    'org.opencontainers.image.title': 'overdue',
    'org.opencontainers.image.description': "A dead-man's switch for scheduled work",
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.licenses': 'MIT',
  };
  return [
    `--config.user=${IMAGE_UID}:${IMAGE_UID}`,
    '--config.entrypoint=/usr/bin/overdue',
    '--config.cmd=serve',
    '--config.env=OVERDUE_CONFIG=/etc/overdue/config.yaml',
    '--config.env=CACHE_DIRECTORY=/var/cache/overdue',
    '--config.env=HOME=/data',
    '--config.workingdir=/data',
    '--config.volume=/data',
    '--config.exposedports=8080/tcp',
    '--config.stopsignal=SIGTERM',
    ...Object.entries(labels).map(([k, v]) => `--config.label=${k}=${v}`),
    `--architecture=${DEB_ARCH[arch]}`,
    '--os=linux',
    `--created=${created}`,
    `--history.created=${created}`,
    '--history.created_by=scripts/release/image.mjs',
  ];
}

export function buildImage({ arch = 'x64', version = VERSION, out }) {
  if (!existsSync(BINARY[arch] ?? ''))
    fail(`the ${arch} executable is missing: npm run build:binary -- --arch=${arch}`);
  if (process.getuid?.() !== 0)
    fail('the image is built as root (the layer records owners as on disk)');
  const epoch = sourceDateEpoch();
  const created = new Date(epoch * 1000).toISOString();
  const work = join(ROOT, 'build', 'image', arch);
  const layout = join(work, 'layout');
  const bundle = join(work, 'bundle');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`staging the root filesystem (${arch})`);
  const ref = `${layout}:${version}`;
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', ref]);
  run('umoci', ['unpack', '--image', ref, bundle]);
  stageRootfs(arch, join(bundle, 'rootfs'));
  stampTimes(join(bundle, 'rootfs'), epoch);
  log('umoci repack');
  run('umoci', [
    'repack',
    '--image',
    ref,
    `--history.created=${created}`,
    '--history.created_by=scripts/release/image.mjs',
    bundle,
  ]);
  run('umoci', ['config', '--image', ref, ...imageConfig(arch, version, created)]);
  run('umoci', ['gc', '--layout', layout]);
  stampTimes(layout, epoch);
  mkdirSync(out, { recursive: true });
  const archive = join(out, `overdue-${version}-image-${arch}.oci.tar`);
  // A tar with fixed order, owners and times: the same layout gives the same archive.
  run('tar', [
    '--sort=name',
    `--mtime=@${epoch}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-cf',
    archive,
    '-C',
    layout,
    '.',
  ]);
  log(`${relative(ROOT, archive)}: ${formatSize(statSync(archive).size)}`);
  return archive;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  try {
    const argv = process.argv.slice(2);
    buildImage({
      arch: option(argv, 'arch', 'x64'),
      version: option(argv, 'version', VERSION),
      out: option(argv, 'out', join(ROOT, 'release')),
    });
  } catch (error) {
    const message = error instanceof ReleaseError ? error.message : (error?.stack ?? String(error));
    process.stderr.write(`\nimage FAILED: ${message}\n`);
    process.exitCode = 1;
  }
}
