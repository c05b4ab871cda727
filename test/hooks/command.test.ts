import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandHook } from '../../src/hooks/command.js';
import { sampleAlert } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

describe('command hook', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const hook = (argv: string[], timeoutMs = 5_000, publicUrl: string | null = null) =>
    createCommandHook({ kind: 'command', name: 'ops', argv, env: {}, timeoutMs, publicUrl });

  it('passes the alert as environment variables', async () => {
    const out = join(dir.path, 'env.txt');
    const result = await hook([
      'sh',
      '-c',
      `echo "$OVERDUE_MONITOR $OVERDUE_STATUS $OVERDUE_PREVIOUS_STATUS $OVERDUE_EVENT $OVERDUE_HOOK" > ${out}`,
    ]).deliver(sampleAlert());
    expect(result.ok).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('nightly-backup down late down ops\n');
  });

  it('passes the alert as JSON on stdin', async () => {
    const out = join(dir.path, 'stdin.json');
    await hook(['sh', '-c', `cat > ${out}`]).deliver(sampleAlert());
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      ...sampleAlert(),
      url: null,
      test: false,
    });
  });

  it("links to the monitor's page when the server has a public URL", async () => {
    const out = join(dir.path, 'url.txt');
    const command = ['sh', '-c', `echo "$OVERDUE_MONITOR_URL" > ${out}`];
    await hook(command, 5_000, 'https://hb.example.com').deliver(sampleAlert());
    expect(readFileSync(out, 'utf8')).toBe('https://hb.example.com/monitors/nightly-backup\n');
  });

  it('never interpolates alert values into the command', async () => {
    const out = join(dir.path, 'inject.txt');
    const evil = sampleAlert({ monitor: { slug: 'x', name: '$(touch pwned); `touch pwned2`' } });
    await hook(['sh', '-c', `printf '%s' "$OVERDUE_MONITOR_NAME" > ${out}`]).deliver(evil);
    expect(readFileSync(out, 'utf8')).toBe('$(touch pwned); `touch pwned2`');
  });

  it('reports a non-zero exit as a transient failure with the tail of stderr', async () => {
    const result = await hook(['sh', '-c', 'echo "smtp refused" >&2; exit 3']).deliver(
      sampleAlert(),
    );
    expect(result).toMatchObject({
      ok: false,
      permanent: false,
      error: 'exited with status 3: smtp refused',
    });
  });

  it('reports a missing program as a permanent failure', async () => {
    const result = await hook(['/nonexistent/overdue-hook']).deliver(sampleAlert());
    expect(result.ok).toBe(false);
    expect(result.permanent).toBe(true);
  });

  it('kills a command that runs past its timeout, children included', async () => {
    const result = await hook(['sh', '-c', 'sleep 30; echo never'], 200).deliver(sampleAlert());
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.error).toMatch(/^timed out after 200 ms; killed process group \d+ \(SIGTERM\)$/);
  });

  it('succeeds when the command ignores stdin', async () => {
    expect((await hook(['true']).deliver(sampleAlert())).ok).toBe(true);
  });
});
