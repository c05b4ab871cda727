-- wrk script of `npm run bench:ingest` (scripts/bench/lib.mjs startWrk): sends the request paths
-- of a file (one per line) in the file's order, over and over. With one wrk thread the requests in
-- flight are consecutive lines, so a file of distinct monitors' ping paths never has two
-- connections on the same monitor at once. Prints one JSON line at the end (times in µs):
--   {"requests":N,"duration_us":N,"status_errors":N,"socket_errors":N,"timeouts":N,
--    "p50_us":N,"p99_us":N,"max_us":N}
-- (wrk counts a status > 399 as a status error; socket errors are connect + read + write.)
--
--   wrk -t1 -c64 -d15s --latency -s scripts/bench/wrk-pings.lua http://127.0.0.1:8080 \
--     -- PATHS_FILE [--post [BODY_FILE]]     POST BODY_FILE's bytes (default 64 bytes), not GET

local requests = {}
local next_index = 1

local function read_file(name)
  local file = assert(io.open(name, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

-- Built once here: request() runs per request on the load generator's only thread, so it must
-- cost no more than a table lookup.
function init(args)
  local method, body = "GET", nil
  if args[2] == "--post" then
    method = "POST"
    body = args[3] and read_file(args[3]) or (string.rep("x", 63) .. "\n")
  end
  for path in read_file(assert(args[1], "usage: -- PATHS_FILE [--post [BODY_FILE]]")):gmatch("[^\r\n]+") do
    requests[#requests + 1] = wrk.format(method, path, nil, body)
  end
  assert(#requests > 0, "no request paths in " .. args[1])
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,"timeouts":%d,' ..
      '"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
  -- Now, before exiting: the parent samples wrk's CPU time until this line arrives.
  io.stdout:flush()
end
