// Sending one message with a time limit: nodemailer bounds each SMTP step, but not a sendmail
// program that never exits.
import type { SendMailOptions, Transporter } from 'nodemailer';

export function sendMail(
  transporter: Transporter,
  timeoutMs: number,
  message: SendMailOptions,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  const sent = transporter.sendMail(message).then(() => undefined);
  // After a timeout, a late failure has nobody to tell.
  sent.catch(() => undefined);
  return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
}
