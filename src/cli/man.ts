// The man page (roff), made from the command table and the help texts it holds.
import { VERSION } from '../platform/version.js';
import { COMMANDS, type CommandSpec } from './command-table.js';
import { optionLabel } from './help.js';

/** Text safe in roff: backslashes and hyphens escaped, no line starting with a control character. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function commandSection(c: CommandSpec): string {
  const head = `.SS "overdue ${c.name}${c.usage === '' ? '' : ` ${c.usage.replace(/"/g, '')}`}"`;
  if (c.text !== undefined) return `${head}\n.nf\n${roff(c.text)}\n.fi`;
  const parts = [head, roff(c.about)];
  for (const o of c.options) parts.push(`.TP\n.B ${roff(optionLabel(o))}\n${roff(o.help)}`);
  if (c.after !== undefined) parts.push(`.PP\n${roff(c.after)}`);
  return parts.join('\n');
}

export function manPage(): string {
  return `.TH OVERDUE 1 "" "overdue ${VERSION}" "User Commands"
.SH NAME
overdue \\- a dead\\-man's switch for scheduled work
.SH SYNOPSIS
.B overdue
.I command
.RI [ options ]
.SH DESCRIPTION
Cron jobs, backups and workers ping overdue when they finish; when a ping does not arrive in
time, or a job reports failure, overdue alerts by running a command or sending an HTTP request.
Monitors and hooks live in a YAML file; pings, state changes and deliveries in one SQLite file.
.SH COMMANDS
${COMMANDS.map(commandSection).join('\n')}
.SH ENVIRONMENT
.TP
.B OVERDUE_CONFIG
the config file when \\-\\-config is not given (default: ./config.yaml)
.TP
.B OVERDUE_LOG_LEVEL\\fR, \\fBOVERDUE_LOG_FORMAT
defaults of serve's \\-\\-log\\-level and \\-\\-log\\-format
.TP
.B OVERDUE_URL\\fR, \\fBOVERDUE_PING_KEY
where exec and ping send a monitor given by its slug
.TP
.B JOURNAL_STREAM
set by systemd: log lines then carry a <N> priority and no timestamp
.TP
.B LISTEN_FDS\\fR, \\fBLISTEN_PID
set by systemd socket activation: serve listens on the socket passed as fd 3
.SH EXIT STATUS
0 ok, 1 runtime failure, 2 usage or config error (exec exits with its command's status).
.SH SIGNALS
SIGHUP reloads the config (applied only if valid); SIGTERM and SIGINT shut down cleanly.
.SH FILES
.TP
.I /etc/overdue/config.yaml\\fR, \\fI/etc/overdue/secrets.env
the config and its secrets under systemd (overdue init /etc/overdue writes both)
.TP
.I /var/lib/overdue/overdue.db
the database (data\\-dir)
.SH SEE ALSO
.BR systemd.exec (5),
.BR systemd.socket (5)
`;
}
