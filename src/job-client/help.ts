// The help texts of the client commands, for `--help` and after a usage error.

const MONITOR = `MONITOR is a ping URL (https://hb.example.com/ping/TOKEN or .../ping/PING_KEY/SLUG), or
a monitor's slug, sent to $OVERDUE_URL/ping/$OVERDUE_PING_KEY/SLUG (both must then be set).`;

export const EXEC_HELP = `Usage: overdue exec MONITOR [--timeout DURATION] -- COMMAND [ARG...]

Runs COMMAND and reports it: a start ping as it starts, then its exit status with the tail
of its output (stdout and stderr combined, up to the server's body limit) when it ends.
COMMAND starts once the server has answered the start ping, so the run time it records
covers COMMAND's; a server that does not answer holds COMMAND back for 1s at most.
COMMAND's stdout and stderr still go to ours, and overdue exits with COMMAND's exit status.
An unreachable server never fails COMMAND: pings are retried for at most 10s, then a
warning goes to stderr.

${MONITOR}

Options:
  --timeout DURATION  stop COMMAND after DURATION (90s, 5m, 1h30m): SIGTERM, then SIGKILL
                      5s later; reported as a failure, exit status 124
  -h, --help          show this help

SIGTERM, SIGINT and SIGHUP are passed on to COMMAND.
Exit status: COMMAND's own; 128+N if it was killed by signal N; 124 if it timed out;
126 if it cannot be executed; 127 if it is not found; 2 on a usage error (nothing run).
`;

export const PING_HELP = `Usage: overdue ping MONITOR [--start | --fail | --log | --exit N] [--data TEXT | --data @FILE | --data @-] [--rid UUID]

Sends one ping: a success, unless a kind is given. Retried for at most 10s while the
server is unreachable or answers 5xx. Prints nothing on success.

${MONITOR}

Options:
  --start        the job started (the monitor is running until its end arrives)
  --fail         the job failed
  --log          only record the data; the monitor's status does not change
  --exit N       the job's exit status: 0 is a success, 1-255 a failure
  -d, --data X   the ping's output: TEXT, @FILE to read a file, @- to read stdin; at most
                 the last 1 MiB is sent, and the server keeps up to its body limit
  --rid UUID     run id pairing a --start with its end when runs overlap
  -h, --help     show this help

Exit status: 0 the ping was stored; 1 every try failed or the server refused it;
2 on a usage error (nothing sent).
`;
