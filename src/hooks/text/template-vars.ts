// The variables a template may use, each with a sample value. The samples check templates when the
// config is loaded (a JSON body must still be JSON, a URL still a URL) and fill `overdue test-alert`
// previews; awkward characters in them make a template that forgets to quote a value fail early.

/** Every variable, with a sample value of its type. Names follow the alert's JSON keys. */
export const templateVariables = {
  event: 'down',
  status: 'down',
  previous_status: 'late',
  reason: 'timeout',
  at: '2026-05-02T00:30:00.001Z',
  deadline: '2026-05-02T00:00:00.000Z',
  last_ping_at: '2026-05-01T00:00:05.120Z',
  down_since: '2026-05-02T00:30:00.001Z',
  transition_id: 42,
  'monitor.slug': 'nightly-backup',
  'monitor.name': 'Nightly "backup" & <restore>',
  'ping.at': '2026-05-01T00:00:05.120Z',
  'ping.kind': 'fail',
  'ping.exit_status': 1,
  'ping.output': 'pg_dump: error: connection refused\n"done"',
  'ping.duration_ms': 5_120,
  'ping.value': 1.5,
  url: 'https://hb.example.com/monitors/nightly-backup',
  public_url: 'https://hb.example.com',
  hook: 'ops',
  test: false,
  title: 'Nightly backup is down',
  message: 'No ping by 2026-05-02 00:00:00 UTC.\nLast ping: 2026-05-01 00:00:05 UTC.',
} as const satisfies Record<string, string | number | boolean>;

export type TemplateVariable = keyof typeof templateVariables;
export type TemplateValue = string | number | boolean | null;
/** The value of every variable for one alert; null where the alert has none. */
export type TemplateView = Readonly<Record<TemplateVariable, TemplateValue>>;

export const sampleView: TemplateView = templateVariables;
