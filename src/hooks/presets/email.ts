// Email, through an SMTP server (implicit TLS, STARTTLS, or plain for a local relay) or the local
// sendmail program, with nodemailer. One connection per alert: alerts are rare, and a pooled
// connection would be one more thing to go stale between them.
import { createTransport } from 'nodemailer';
import type { SendmailTransportOptions, SMTPTransportOptions } from 'nodemailer';
import { byShape, list } from '../../schema-kit/collections.js';
import { object } from '../../schema-kit/object.js';
import { convert, optional, required, withDefault } from '../../schema-kit/schema.js';
import type { ObjectValue } from '../../schema-kit/schema.js';
import { secret, textFields } from '../fields.js';
import { boolean, integer, oneOfValues, string } from '../../schema-kit/scalars.js';
import type { Template } from '../text/template.js';
import { delivered, failed, type DeliveryResult } from '../../core/hook.js';
import { redact } from '../transport/http-send.js';
import { alertTexts, type Preset } from '../preset.js';
import { sendMail } from './send-mail.js';
import type { HookCommon } from '../hook-kind.js';
import { groupTitle, lineText } from '../text/group-text.js';

const address = string({ check: (s) => (s.includes('@') ? null : 'expected an email address') });

const fields = {
  host: optional(string(), 'SMTP server host name (or use sendmail).'),
  port: optional(
    integer({ min: 1, max: 65_535 }),
    'SMTP port. Default: 465 for tls, 587 for starttls, 25 for none.',
  ),
  security: optional(
    oneOfValues(['tls', 'starttls', 'none'] as const),
    'tls: TLS from the start; starttls: upgrade, and fail without it; none: plain (a local relay). Default: tls on port 465, else starttls.',
  ),
  'verify-certificate': withDefault(boolean(), true, "Check the server's TLS certificate."),
  username: optional(string(), 'SMTP login.'),
  password: optional(secret, 'SMTP password, best written as ${VAR}.'),
  sendmail: optional(
    string(),
    'Path of a sendmail program (e.g. /usr/sbin/sendmail), instead of host.',
  ),
  from: required(address, 'Sender address, e.g. "overdue <overdue@example.com>".'),
  to: required(
    byShape(
      { scalar: convert(address, (a) => [a]), list: list(address, { minItems: 1 }) },
      'an address or a list of addresses',
    ),
    'Recipient address, or a list of them.',
  ),
  ...textFields,
};

export type EmailTransport =
  | {
      readonly kind: 'smtp';
      readonly host: string;
      readonly port: number;
      readonly security: 'tls' | 'starttls' | 'none';
      readonly verifyCertificate: boolean;
      readonly auth: { readonly user: string; readonly pass: string } | null;
    }
  | { readonly kind: 'sendmail'; readonly path: string };

export interface EmailOptions {
  readonly transport: EmailTransport;
  readonly from: string;
  readonly to: readonly string[];
  readonly title: Template;
  readonly message: Template;
}

const schema = convert(
  object(fields, {
    exactlyOne: ['host', 'sendmail'],
    onlyWith: [
      ['port', 'host', 'port applies only to an SMTP host'],
      ['security', 'host', 'security applies only to an SMTP host'],
      ['username', 'password', 'username needs a password'],
      ['password', 'username', 'password needs a username'],
    ],
  }),
  toOptions,
);

function toOptions(v: ObjectValue<typeof fields>): EmailOptions | undefined {
  const { from, to, title, message } = v;
  if (from === undefined || to === undefined || title === undefined || message === undefined)
    return undefined;
  const transport = toTransport(v);
  return transport && { transport, from, to, title, message };
}

function toTransport(v: ObjectValue<typeof fields>): EmailTransport | undefined {
  if (v.sendmail !== undefined) return { kind: 'sendmail', path: v.sendmail };
  const verifyCertificate = v['verify-certificate'];
  if (v.host === undefined || verifyCertificate === undefined) return undefined;
  const security = v.security ?? (v.port === 465 ? 'tls' : 'starttls');
  const port = v.port ?? { tls: 465, starttls: 587, none: 25 }[security];
  const { username: user, password: pass } = v;
  const auth = user === undefined || pass === undefined ? null : { user, pass };
  return { kind: 'smtp', host: v.host, port, security, verifyCertificate, auth };
}

export function transportOptions(
  t: EmailTransport,
  timeoutMs: number,
): SMTPTransportOptions | (SendmailTransportOptions & { sendmail: true }) {
  if (t.kind === 'sendmail') return { sendmail: true, path: t.path, newline: 'unix' };
  return {
    host: t.host,
    port: t.port,
    secure: t.security === 'tls',
    requireTLS: t.security === 'starttls',
    ignoreTLS: t.security === 'none',
    ...(t.auth === null ? {} : { auth: { user: t.auth.user, pass: t.auth.pass } }),
    tls: { rejectUnauthorized: t.verifyCertificate },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

export const email: Preset<EmailOptions> = {
  description:
    'Email: { host, port, security, username, password } or { sendmail }, and from, to, title (the subject), message.',
  defaultTimeoutMs: 30_000,
  schema,
  target(o) {
    const t = o.transport;
    const via = t.kind === 'sendmail' ? t.path : `${t.host}:${t.port} (${t.security})`;
    return `email to ${o.to.join(', ')} via ${via}`;
  },
  deliver(o, alert, hook): Promise<DeliveryResult> {
    const { title, message, url } = alertTexts(o, alert, hook);
    return mail(o, hook, {
      subject: title,
      text: url === null ? message : `${message}\n\n${url}`,
      monitors: [alert.monitor.slug],
      events: [alert.event],
    });
  },
  // One mail, whatever the number: the list first, then each alert as it would be mailed alone.
  deliverGroup(o, alerts, hook): Promise<DeliveryResult> {
    const texts = alerts.map((alert) => alertTexts(o, alert, hook));
    const list = texts.map((t) => (t.url === null ? lineText(t) : `${lineText(t)} ${t.url}`));
    const details = texts.map((t) => [t.title, t.message, ...(t.url === null ? [] : [t.url])]);
    return mail(o, hook, {
      subject: groupTitle(alerts),
      text: [list.join('\n'), ...details.map((d) => d.join('\n\n'))].join('\n\n---\n\n'),
      monitors: alerts.map((a) => a.monitor.slug),
      events: alerts.map((a) => a.event),
    });
  },
};

async function mail(
  o: EmailOptions,
  hook: HookCommon,
  m: { subject: string; text: string; monitors: readonly string[]; events: readonly string[] },
): Promise<DeliveryResult> {
  const secrets = o.transport.kind === 'smtp' && o.transport.auth ? [o.transport.auth.pass] : [];
  const transporter = createTransport(
    transportOptions(o.transport, hook.timeoutMs) as SMTPTransportOptions,
  );
  try {
    await sendMail(transporter, hook.timeoutMs, {
      from: o.from,
      to: [...o.to],
      subject: m.subject,
      text: m.text,
      headers: {
        // RFC 3834: an alert is automatic mail; vacation responders should not answer it.
        'Auto-Submitted': 'auto-generated',
        'X-Overdue-Monitor': [...new Set(m.monitors)].join(', '),
        'X-Overdue-Event': [...new Set(m.events)].join(', '),
      },
    });
    return delivered;
  } catch (error) {
    return mailFailure(error, secrets);
  } finally {
    transporter.close();
  }
}

/** SMTP 5xx answers (bad address, refused login) and a missing sendmail are not retried. */
function mailFailure(error: unknown, secrets: readonly string[]): DeliveryResult {
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown };
  const text = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const permanent =
    (code !== null && code >= 500 && code < 600) || e.code === 'ENOENT' || e.code === 'EACCES';
  return failed(redact(text, secrets), permanent, code);
}
