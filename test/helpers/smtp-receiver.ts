// A real SMTP server on 127.0.0.1:0 for email tests: plain, with AUTH, with STARTTLS or implicit
// TLS (smtp-server's built-in self-signed certificate), and able to refuse a recipient.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly data: string;
  /** The login the client used, if any. */
  readonly user: string | null;
  /** Whether the message travelled over TLS. */
  readonly secure: boolean;
}

export interface SmtpReceiverOptions {
  /** TLS from the first byte (smtps). */
  readonly implicitTls?: boolean;
  /** Offer STARTTLS (default true). */
  readonly starttls?: boolean;
  /** Require this login. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Refuse every recipient with 550. */
  readonly refuseRecipients?: boolean;
}

export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  port = 0;
  readonly #server: SMTPServer;

  constructor(o: SmtpReceiverOptions = {}) {
    const disabled = [
      ...(o.auth === undefined ? ['AUTH'] : []),
      ...(o.starttls === false || o.implicitTls === true ? ['STARTTLS'] : []),
    ];
    const options: SMTPServerOptions = {
      secure: o.implicitTls ?? false,
      logger: false,
      disabledCommands: disabled,
      authOptional: o.auth === undefined,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === o.auth?.user && auth.password === o.auth?.pass) {
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onRcptTo(_address, _session, callback) {
        if (o.refuseRecipients !== true) return callback();
        callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          this.mails.push({
            from: from === false ? '' : from.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
            user: typeof session.user === 'string' ? session.user : null,
            secure: session.secure,
          });
          callback();
        });
      },
    };
    this.#server = new SMTPServer(options);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
