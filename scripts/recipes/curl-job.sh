#!/bin/sh
# Runs a job and reports it to overdue with curl alone, for hosts without the overdue executable.
#   OVERDUE_PING_URL=https://hb.example.com/ping/<ping-key>/<slug> curl-job.sh COMMAND [ARG...]
# Whatever happens to the pings (overdue down, refusing, or hanging), the job runs, and this
# script exits with the job's exit status. It prints nothing of its own on success (a failed ping
# leaves curl's one-line error on stderr); the job's output goes to overdue with the end ping, and
# is printed too when the job failed, so cron mails failures only.
m=${OVERDUE_PING_URL:?set OVERDUE_PING_URL to the monitor\'s ping URL}
out=$(mktemp) || out=/dev/null

# The start ping: one try of at most 5 s, so a hanging server delays the job little.
curl -fsS -o /dev/null -m 5 "$m/start" || true

"$@" >"$out" 2>&1
status=$?

# The end ping: retried on refused connections too (overdue restarting), 10 s a try, at most
# 20 s of tries; the last 100 kB of output (the server refuses bodies over 1 MiB).
tail -c 100000 "$out" | curl -fsS -o /dev/null -m 10 --retry 5 --retry-connrefused \
  --retry-max-time 20 --data-binary @- "$m/$status" || true

[ "$status" -eq 0 ] || cat "$out"
[ "$out" = /dev/null ] || rm -f "$out"
exit "$status"
