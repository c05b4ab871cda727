// Grouped alerts by email against a real SMTP server: one mail whatever the number, listing every
// alert, then each as it would be mailed alone.
import { afterEach, describe, expect, it } from 'vitest';
import { hookOf } from '../../helpers/alert.js';
import { SmtpReceiver } from '../../helpers/smtp-receiver.js';
import { manyAlerts, nameCounts } from './group-alerts.js';

/** The mail's headers and its text, decoded from quoted-printable as nodemailer encodes it. */
function parse(data: string): { headers: string; text: string } {
  const at = data.indexOf('\r\n\r\n');
  const headers = data.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const body = data.slice(at + 4).replace(/=\r\n/g, '');
  const bytes = body.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return { headers, text: Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n') };
}

describe('grouped email', () => {
  let smtp: SmtpReceiver | undefined;
  afterEach(() => smtp?.close());
  const email = (server: SmtpReceiver) =>
    hookOf(
      [
        'email:',
        '  host: 127.0.0.1',
        `  port: ${server.port}`,
        '  security: none',
        '  from: overdue@example.com',
        '  to: ops@example.com',
        'timeout: 5s',
      ],
      { publicUrl: 'https://hb.example.com' },
    );

  it.each([1, 3, 500])('sends %i alerts as one mail naming every monitor', async (count) => {
    smtp = await new SmtpReceiver({ starttls: false }).start();
    expect(await email(smtp).deliverGroup?.(manyAlerts(count))).toMatchObject({ ok: true });
    expect(smtp.mails).toHaveLength(1);
    const { headers, text } = parse(smtp.mails[0]?.data ?? '');
    // Once in the list and once in the details; a group of one is the alert alone (its subject).
    const times = count === 1 ? 1 : 2;
    expect(nameCounts([headers, text], count)).toEqual(Array(count).fill(times));
    // Every line within SMTP's 998 characters (RFC 5321), the headers folded.
    for (const line of (smtp.mails[0]?.data ?? '').split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(998);
    }
  });

  it('titles the mail by its counts and lists each alert with its link', async () => {
    smtp = await new SmtpReceiver({ starttls: false }).start();
    await email(smtp).deliverGroup?.(manyAlerts(7));
    const { headers, text } = parse(smtp.mails[0]?.data ?? '');
    expect(headers).toContain('Subject: 6 monitors down, 1 up');
    expect(headers).toContain('X-Overdue-Event: down, up');
    expect(headers).toContain('X-Overdue-Monitor: job-1, job-2, job-3');
    expect(text.split('\n')[0]).toBe(
      '🔴 Job 0001 is down: No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC. https://hb.example.com/monitors/job-1',
    );
    expect(text).toContain(
      '\n\n---\n\nJob 0007 is up again\n\nRecovered at 2026-05-01 02:30:00 UTC.',
    );
  });
});
