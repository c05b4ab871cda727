#!/bin/sh
# A long-running worker: one round of work, a ping, a pause, forever. OVERDUE_URL and
# OVERDUE_PING_KEY are set in the environment; the monitor has `every:` a little above the pause.
# A failed round is reported at once (its exit status) and the loop goes on; a ping that fails
# (overdue down or hanging) leaves a warning on stderr and never ends the loop; a success prints
# nothing.
set -eu
while :; do
  if out=$(drain-queue 2>&1); then s=0; else s=$?; fi
  # The output goes through stdin: as `--data "$out"`, an output starting with @ would name a file.
  printf '%s' "$out" | overdue ping queue-worker --exit "$s" --data @- || true
  sleep 60
done
