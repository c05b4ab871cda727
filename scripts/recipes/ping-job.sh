#!/bin/sh
# Runs a job between two `overdue ping`s, for a script that wraps more than one command (where
# `overdue exec` fits, prefer it). OVERDUE_URL and OVERDUE_PING_KEY are set in the environment.
#   ping-job.sh                 (edit the monitor and the job below)
# overdue ping retries on its own and never prints on success; `|| true` keeps a failed ping from
# ending the script, and the script exits with the job's status.
rid=$(cat /proc/sys/kernel/random/uuid)
overdue ping etl --start --rid "$rid" || true
if ./etl.sh >etl.log 2>&1; then s=0; else s=$?; fi
overdue ping etl --exit "$s" --rid "$rid" --data @etl.log || true
exit "$s"
