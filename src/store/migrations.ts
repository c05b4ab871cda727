// Schema migrations, embedded so the executable needs no files beside it. Each entry runs once, in
// order, inside a transaction; `PRAGMA user_version` records how many have run. Never edit an entry
// that has shipped: append a new one.
export const migrations: readonly string[] = [
  `
  CREATE TABLE monitors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    last_ping_at INTEGER,
    last_success_at INTEGER,
    started_at INTEGER,
    run_id TEXT
  );
  CREATE TABLE pings (
    id INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    exit_status INTEGER,
    run_id TEXT,
    duration_ms INTEGER,
    method TEXT NOT NULL,
    remote_addr TEXT,
    user_agent TEXT,
    body BLOB
  );
  CREATE INDEX pings_by_monitor ON pings(monitor_id, id);
  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors(id),
    at INTEGER NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    deadline_at INTEGER,
    alert TEXT
  );
  CREATE INDEX transitions_by_monitor ON transitions(monitor_id, id);
  -- The alert outbox: one row per (transition, hook), written in the same transaction as the
  -- status change, so an alert is never lost between deciding it and delivering it.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    transition_id INTEGER NOT NULL REFERENCES transitions(id),
    hook TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX outbox_pending ON outbox(hook, next_attempt_at) WHERE state = 'pending';
  -- Every attempt to run a hook, with its result.
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    permanent INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT
  );
  CREATE INDEX deliveries_by_outbox ON deliveries(outbox_id);
  `,
  // 2: numbers sent with pings (Uptime Kuma's `ping`/`value`).
  `ALTER TABLE pings ADD COLUMN value REAL;`,
  // 3: alert policy state (alert-after, reminders, recovery only after an alerted down).
  `
  ALTER TABLE monitors ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE monitors ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE monitors ADD COLUMN count_from INTEGER;
  ALTER TABLE monitors ADD COLUMN alerted_at INTEGER;
  -- A monitor down before this column existed was alerted (every down alerted then).
  UPDATE monitors SET alerted = 1 WHERE status = 'down';
  `,
  // 4: monitors created by pings or the API (auto-provisioning), not by the config file. The
  // config always wins: a slug it defines ignores the row here.
  `
  CREATE TABLE provisioned (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    period_ms INTEGER,
    grace_ms INTEGER,
    token TEXT UNIQUE,
    created_at INTEGER NOT NULL
  );
  `,
  // 5: pause, resume and snooze; settings (the badge secret); deliveries found by monitor.
  `
  ALTER TABLE monitors ADD COLUMN snoozed_until INTEGER;
  ALTER TABLE monitors ADD COLUMN resumed_at INTEGER;
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE INDEX outbox_by_transition ON outbox(transition_id);
  `,
  // 6: every open run of a monitor, not only the newest (overlapping runs are timed run by run).
  // started_at and run_id are no longer written; the open run they held carries over.
  `
  ALTER TABLE monitors ADD COLUMN open_runs TEXT;
  UPDATE monitors SET open_runs = json_array(json_array(started_at, run_id, 0))
    WHERE started_at IS NOT NULL;
  UPDATE monitors SET started_at = NULL, run_id = NULL;
  `,
  // 7: alerts held because their hook left the config and no hook of their monitor takes them
  // (see alert/rehome.ts), found at every start and reload without a scan of the whole outbox.
  `CREATE INDEX outbox_held ON outbox(hook) WHERE state = 'held';`,
  // 8: depends-on. A child's down alert suppressed by a parent that is down (suppressed_by), and
  // when that parent recovered (released_at: the child alerts one grace later if still down); a
  // transition's parent: the one that suppressed it, or whose recovery released it.
  `
  ALTER TABLE monitors ADD COLUMN suppressed_by TEXT;
  ALTER TABLE monitors ADD COLUMN released_at INTEGER;
  ALTER TABLE transitions ADD COLUMN parent TEXT;
  `,
  // 9: maintenance. The end of the window that holds a down's alert back (alerted then if still
  // down): stored, so a restart after the window ended still sends it, once.
  `ALTER TABLE monitors ADD COLUMN held_until INTEGER;`,
  // 10: grouped alerts (a hook's `group:`). One row per delivery that carried several alerts, and
  // each alert's delivery row pointing at it (NULL: a delivery of its own).
  `
  CREATE TABLE delivery_groups (
    id INTEGER PRIMARY KEY,
    hook TEXT NOT NULL,
    at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    permanent INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT
  );
  ALTER TABLE deliveries ADD COLUMN group_id INTEGER REFERENCES delivery_groups(id);
  `,
  // 11: pings indexed by monitor in bulk, off the hot path (see ping-index.ts). The index on
  // pings(monitor_id, id) put every stored ping on a page of its own (its monitor's leaf); now a
  // ping is one append to the table, and its entry is added later with thousands of others.
  // ping_index_state.upto: every ping up to this id has its entry.
  `
  CREATE TABLE ping_index (
    monitor_id INTEGER NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, id)
  ) WITHOUT ROWID;
  INSERT INTO ping_index (monitor_id, id) SELECT monitor_id, id FROM pings ORDER BY monitor_id, id;
  DROP INDEX IF EXISTS pings_by_monitor;
  CREATE TABLE ping_index_state (upto INTEGER NOT NULL);
  INSERT INTO ping_index_state (upto) SELECT ifnull(max(id), 0) FROM pings;
  `,
];
