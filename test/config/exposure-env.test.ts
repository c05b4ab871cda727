// A command hook's env passes credentials to the command: one written literally in a config every
// user can read is a secret exposed, like a hook's password.
import { describe, expect, it } from 'vitest';
import { literalSecrets } from '../../src/config/exposure.js';
import { doc } from './helpers.js';

const commandWith = (...env: string[]) =>
  doc(
    'hooks:',
    '  c:',
    '    command:',
    '      run: [notify]',
    '      env:',
    ...env.map((l) => `        ${l}`),
  );

describe('literal secrets in the env of a command hook', () => {
  it('finds a variable named like a credential, written literally', () => {
    expect(
      literalSecrets(commandWith('CHAT_TOKEN: abc123', 'SMTP_PASSWORD: hunter2', 'API_KEY: k'))
        .secrets,
    ).toEqual([
      'hooks.c.command.env.CHAT_TOKEN',
      'hooks.c.command.env.SMTP_PASSWORD',
      'hooks.c.command.env.API_KEY',
    ]);
  });

  it('leaves credentials from the environment and other variables alone', () => {
    expect(
      literalSecrets(
        commandWith(
          'CHAT_TOKEN: ${CHAT_TOKEN}',
          'TEAM: infra',
          'OVERDUE_URL: https://hb.example.com',
        ),
      ).secrets,
    ).toEqual([]);
  });
});
