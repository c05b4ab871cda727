// The servers the benchmarks measure overdue against, each a `node -e` script that prints the same
// `msg=listening url=...` line as the daemon: the bare node:http server (the baseline), the floor
// (answers only after an fdatasync) and the SQLite floor (stores each request in SQLite first).
import { createRequire } from 'node:module';
import { start } from './lib.mjs';

/** The same `listening` line, from a bare node:http server answering OK: the baseline. */
export const BARE_SERVER = `
const http = require('node:http');
const s = http.createServer((q, r) => { q.resume(); r.end('OK'); });
s.listen(0, '127.0.0.1', () => console.log('msg=listening url=http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * The floor of any server that answers only once a request is on disk: node:http answering OK
 * after an fdatasync (in libuv's threadpool) that began after the request arrived; every request
 * that arrives while one runs shares the next (a group commit, one fdatasync at a time, as WalSync
 * runs them). Before each fdatasync it appends 128 bytes per request it covers (a small row), in
 * whole 4 KiB pages, on the event loop as SQLite writes its WAL, to a file of 32 MiB written once
 * at start (the WAL's limit), wrapping at its end: the write a store cannot avoid, and no more.
 * What it costs over the bare server is the price of the wait, that write and answering in bursts;
 * what overdue costs over it is routing, the status machine and SQLite.
 * `process.argv[1]` is the file it writes and syncs (on the disk under test).
 */
export const FLOOR_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const SIZE = 32 * 1024 * 1024;
const fd = fs.openSync(process.argv[1], 'w');
const zeros = Buffer.alloc(1024 * 1024);
for (let at = 0; at < SIZE; at += zeros.length) fs.writeSync(fd, zeros, 0, zeros.length, at);
fs.fsyncSync(fd);
const rows = Buffer.alloc(SIZE, 1);
let offset = 0;
let waiting = [];
let covered = null;
let turn = false;
const sync = () => {
  covered = waiting;
  waiting = [];
  const bytes = Math.ceil((covered.length * 128) / 4096) * 4096;
  if (offset + bytes > SIZE) offset = 0;
  fs.writeSync(fd, rows, 0, bytes, offset);
  offset += bytes;
  fs.fdatasync(fd, (error) => {
    if (error) throw error;
    for (const r of covered) r.end('OK');
    covered = null;
    if (waiting.length > 0) sync();
  });
};
const s = http.createServer((q, r) => {
  q.resume();
  waiting.push(r);
  if (turn) return;
  turn = true;
  setImmediate(() => {
    turn = false;
    if (covered === null && waiting.length > 0) sync();
  });
});
s.listen(0, '127.0.0.1', () => console.log('msg=listening url=http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * The floor of a server that stores each request in SQLite before it answers, and does nothing
 * else: the minimal server the issue "Ingest at the machine's limit" measured before overdue's
 * code existed. It is the floor above (one fdatasync of the WAL at a time, covering every request
 * committed before it began) with one row per request (its path, time, user agent and address)
 * inserted in one transaction per event-loop turn, `synchronous = NORMAL`, and PASSIVE checkpoints
 * in a thread of their own on a connection of their own every 10 ms (never on the loop; each syncs
 * the WAL and the database file itself, as SQLite does at that level): SQLite's insert and commit,
 * and no routing, no lookup, no state, no index but the rowid.
 * `process.argv[1]` is better-sqlite3's entry (see SQLITE), `process.argv[2]` the database file.
 */
export const SQLITE_FLOOR_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');
const [, sqlite, file] = process.argv;
const Database = require(sqlite);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE pings (id INTEGER PRIMARY KEY, path TEXT NOT NULL, at INTEGER NOT NULL, user_agent TEXT, remote_addr TEXT)');
const insert = db.prepare('INSERT INTO pings (path, at, user_agent, remote_addr) VALUES (?, ?, ?, ?)');
const store = db.transaction((rows) => {
  for (const [q] of rows) insert.run(q.url, Date.now(), q.headers['user-agent'] ?? null, q.socket.remoteAddress);
});
const wal = fs.openSync(file + '-wal', 'r');
new Worker(
  'const Database = require(' + JSON.stringify(sqlite) + ');' +
  'const db = new Database(' + JSON.stringify(file) + ');' +
  "setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 10);",
  { eval: true },
)
  .on('error', (error) => {
    throw error;
  })
  .unref();
let turn = null;
let waiting = [];
let covered = null;
const sync = () => {
  covered = waiting;
  waiting = [];
  fs.fdatasync(wal, (error) => {
    if (error) throw error;
    for (const r of covered) r.end('OK');
    covered = null;
    if (waiting.length > 0) sync();
  });
};
const commit = () => {
  const requests = turn;
  turn = null;
  store(requests);
  for (const [, r] of requests) waiting.push(r);
  if (covered === null) sync();
};
const s = http.createServer((q, r) => {
  q.resume();
  if (turn === null) {
    turn = [];
    setImmediate(commit);
  }
  turn.push([q, r]);
});
s.listen(0, '127.0.0.1', () => console.log('msg=listening url=http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/** better-sqlite3's entry, for SQLITE_FLOOR_SERVER (a `node -e` script resolves from the cwd). */
export const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3');

/** The bare server (`code` BARE_SERVER), or another of the above with its `args`. */
export async function startBareServer({ timeoutMs = 20_000, code = BARE_SERVER, args = [] } = {}) {
  const proc = start(process.execPath, ['-e', code, ...args]);
  const { line, at } = await proc.waitFor(/msg=listening url=(\S+)/, timeoutMs);
  proc.url = /msg=listening url=(\S+)/.exec(line)[1];
  proc.startMs = at - proc.t0;
  return proc;
}
