// The email preset against a real SMTP server (smtp-server on 127.0.0.1:0) and a sendmail stand-in.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hookOf, sampleAlert } from '../../helpers/alert.js';
import { tempDir } from '../../helpers/temp.js';
import { SmtpReceiver, type SmtpReceiverOptions } from '../../helpers/smtp-receiver.js';

const publicUrl = 'https://hb.example.com';

describe('email preset', () => {
  let smtp: SmtpReceiver | undefined;
  afterEach(() => smtp?.close());
  const dir = tempDir();
  afterAll(() => dir.remove());

  async function serve(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
    smtp = await new SmtpReceiver(options).start();
    return smtp;
  }
  const email = (server: SmtpReceiver, ...lines: string[]) =>
    hookOf(
      [
        'email:',
        '  host: 127.0.0.1',
        `  port: ${server.port}`,
        '  from: overdue <overdue@example.com>',
        '  to: [ops@example.com, dev@example.com]',
        ...lines.map((l) => `  ${l}`),
        'timeout: 5s',
      ],
      { publicUrl },
    );

  it('sends the alert over plain SMTP to every recipient', async () => {
    const server = await serve({ starttls: false });
    expect(await email(server, 'security: none').deliver(sampleAlert())).toMatchObject({
      ok: true,
    });
    const [mail] = server.mails;
    expect(mail?.from).toBe('overdue@example.com');
    expect(mail?.to).toEqual(['ops@example.com', 'dev@example.com']);
    expect(mail?.data).toContain('Subject: Nightly backup is down\r\n');
    expect(mail?.data).toContain('Auto-Submitted: auto-generated\r\n');
    expect(mail?.data).toContain('X-Overdue-Event: down\r\n');
    expect(mail?.data).toContain(
      'No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC.\r\n\r\n' +
        'https://hb.example.com/monitors/nightly-backup',
    );
  });

  it('logs in with AUTH', async () => {
    const server = await serve({ starttls: false, auth: { user: 'alerts', pass: 'pa55' } });
    const hook = email(server, 'security: none', 'username: alerts', 'password: pa55');
    expect((await hook.deliver(sampleAlert())).ok).toBe(true);
    expect(server.mails[0]?.user).toBe('alerts');
  });

  it('does not retry a refused login, and does not show the password', async () => {
    const server = await serve({ starttls: false, auth: { user: 'alerts', pass: 'pa55' } });
    const hook = email(server, 'security: none', 'username: alerts', 'password: wr0ngpass');
    const result = await hook.deliver(sampleAlert());
    expect(result).toMatchObject({ ok: false, permanent: true, statusCode: 535 });
    expect(result.error).not.toContain('wr0ngpass');
  });

  it('upgrades with STARTTLS by default', async () => {
    const server = await serve();
    const hook = email(server, 'verify-certificate: false');
    expect((await hook.deliver(sampleAlert())).ok).toBe(true);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('checks the certificate unless told not to', async () => {
    const server = await serve();
    expect(await email(server).deliver(sampleAlert())).toMatchObject({
      ok: false,
      permanent: false,
    });
    expect(server.mails).toHaveLength(0);
  });

  it('refuses to send in the clear when STARTTLS is required but not offered', async () => {
    const server = await serve({ starttls: false });
    const result = await email(server, 'security: starttls').deliver(sampleAlert());
    expect(result).toMatchObject({ ok: false });
    expect(result.error).toContain('STARTTLS');
    expect(server.mails).toHaveLength(0);
  });

  it('speaks TLS from the start with security: tls', async () => {
    const server = await serve({ implicitTls: true });
    const hook = email(server, 'security: tls', 'verify-certificate: false');
    expect((await hook.deliver(sampleAlert())).ok).toBe(true);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('does not retry a refused recipient', async () => {
    const server = await serve({ starttls: false, refuseRecipients: true });
    const result = await email(server, 'security: none').deliver(sampleAlert());
    expect(result).toMatchObject({ ok: false, permanent: true, statusCode: 550 });
  });

  it('hands the message to a sendmail program', async () => {
    const program = join(dir.path, 'sendmail');
    writeFileSync(program, `#!/bin/sh\necho "$@" > ${dir.path}/args\ncat > ${dir.path}/mail\n`);
    chmodSync(program, 0o755);
    const hook = hookOf([
      'email:',
      `  sendmail: ${program}`,
      '  from: overdue@example.com',
      '  to: ops@example.com',
    ]);
    expect((await hook.deliver(sampleAlert())).ok).toBe(true);
    expect(readFileSync(join(dir.path, 'args'), 'utf8')).toBe(
      '-i -f overdue@example.com ops@example.com\n',
    );
    expect(readFileSync(join(dir.path, 'mail'), 'utf8')).toContain(
      'Subject: Nightly backup is down\n',
    );
  });

  it('does not retry a sendmail program that does not exist', async () => {
    const hook = hookOf([
      'email:',
      `  sendmail: ${join(dir.path, 'missing')}`,
      '  from: overdue@example.com',
      '  to: ops@example.com',
    ]);
    expect(await hook.deliver(sampleAlert())).toMatchObject({ ok: false, permanent: true });
  });
});
