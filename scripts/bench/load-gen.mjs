// The load generator the benchmarks spawn: autocannon's programmatic API in a process of its own,
// so its CPU is not taken inside the process under test. Reads its spec as JSON on stdin:
//   { url, key, slugs: [...], connections, seconds, method, body, rate? }
// and prints one JSON line: 2xx and other counts, durable requests/s, latency percentiles (ms),
// and the CPU this process used. Each connection cycles over its own share of the slugs, so the
// load is spread over every slug and no two connections hit the same monitor at once.
//
//   echo '{"url":"http://127.0.0.1:8080","key":"...","slugs":["a"],"connections":8,"seconds":5}' \
//     | node scripts/bench/load-gen.mjs
import autocannon from 'autocannon';

async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

async function main() {
  const spec = await readStdin();
  const { url, key, slugs, connections, seconds, method = 'GET', body = '' } = spec;
  // 1. One request list per connection: connection i gets slugs i, i+C, i+2C, ...
  const perClient = [];
  for (let c = 0; c < connections; c++) {
    const requests = [];
    for (let i = c; i < slugs.length; i += connections) {
      const path = key === null ? `/${slugs[i]}` : `/ping/${key}/${slugs[i]}`;
      requests.push(method === 'POST' ? { method, path, body } : { method, path });
    }
    perClient.push(requests.length > 0 ? requests : [{ method, path: '/' }]);
  }
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // 2. The load itself.
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    requests: perClient[0],
    setupClient: (client) => client.setRequests(perClient[next++ % connections]),
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // 3. Figures: "durable" counts only 2xx answers, which overdue sends after the commit.
  const ok = result['2xx'];
  const l = result.latency;
  process.stdout.write(
    JSON.stringify({
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      seconds: result.duration,
      perSecond: ok / result.duration,
      latency: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, mean: l.average },
      loadGenCpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    }) + '\n',
  );
}

main().catch((error) => {
  console.error(`load-gen failed: ${error?.stack ?? error}`);
  process.exit(1);
});
