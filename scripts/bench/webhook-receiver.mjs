// The webhook receiver scripts/bench/lateness.mjs spawns, in a process of its own so that its CPU
// is not counted in the daemon's. Records the arrival time of every alert (epoch ms, fractional,
// taken when its body has been read) with its monitor and event, and answers 200 at once. A body
// that is a JSON array (a grouped hook, `group:`) is every alert in it, each with the array's
// arrival time.
//   POST /alert     an alert from overdue, or an array of them
//   GET  /requests  how many requests have arrived (grouped: fewer than the alerts)
//   GET  /count     how many `down` alerts have arrived
//   GET  /results   every arrival as [arrivedAt, slug, event], then forgets them
// Prints `msg=listening url=...` when ready.
import { createServer } from 'node:http';

const now = () => performance.timeOrigin + performance.now();
let arrivals = [];
let downs = 0;
let requests = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      res.end('ok');
      requests++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const alert of Array.isArray(body) ? body : [body]) {
          arrivals.push([at, alert.monitor.slug, alert.event]);
          if (alert.event === 'down') downs++;
        }
      } catch {
        arrivals.push([at, null, 'unparsable']);
      }
    });
    return;
  }
  if (req.url === '/count') return res.end(String(downs));
  if (req.url === '/requests') return res.end(String(requests));
  if (req.url === '/results') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(arrivals));
    arrivals = [];
    downs = 0;
    requests = 0;
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () =>
  console.log(`msg=listening url=http://127.0.0.1:${server.address().port}`),
);
process.on('SIGTERM', () => process.exit(0));
