// The help text of `overdue import`.
export const IMPORT_HELP = `Usage: overdue import SOURCE [--from FILE | --url URL] [--merge CONFIG]

Prints the monitors (and hooks, where a preset matches) of another system as overdue YAML, keeping
each old token so jobs keep pinging the same URL with only the host changed. What does not map is
a comment naming what was left out and why. The running daemon is never touched.
SOURCE:
  healthchecks   the JSON of GET /api/v3/checks/ (--from FILE), or fetched with --url URL and
                 --api-key KEY (or $HEALTHCHECKS_API_KEY): read-write keys also name integrations
  uptime-kuma    its SQLite database (--from kuma.db): push monitors and their notifications
  gatus          its YAML config (--from config.yaml): external-endpoints and alerting
  crontab        crontab -l output or a file (--from FILE, default stdin): each job a monitor; the
                 crontab is printed again with each command run by \`overdue exec SLUG --\`
Options:
  -f, --from FILE        the source's file
  --url URL              a Healthchecks server to read through its API
  --api-key KEY          its API key (sent as X-Api-Key)
  -m, --merge CONFIG     add to CONFIG in place, keeping its comments and order; refused (exit 2,
                         nothing written) when a slug, hook name or token is already there
  --user-column          the crontab has a user column (default for /etc/crontab, /etc/cron.d/*)
  --timezone ZONE        the crontab's time zone (default: CRON_TZ in the file, $TZ, the machine's)
  --crontab-out FILE     write the wrapped crontab to FILE
See docs/migrating.md.
`;
