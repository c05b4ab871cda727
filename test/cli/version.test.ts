// `overdue version`: what a bug report needs to name the build, from the compiled CLI.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/process.js';
import { VERSION } from '../../src/platform/version.js';

describe('overdue version', () => {
  it('prints the version, the commit, the Node version and the SQLite version', () => {
    const r = runCli(['version']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`overdue ${VERSION}`);
    // dist/ is built by tsc, which writes no commit: only the executable's build knows it.
    expect(lines[1]).toMatch(/^commit: (unknown|[0-9a-f]{12}(-dirty)?)$/);
    expect(lines[2]).toBe(`node: ${process.version}`);
    expect(lines[3]).toMatch(/^sqlite: 3\.\d+\.\d+$/);
  });
});
