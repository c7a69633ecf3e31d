#!/usr/bin/env bash
# Runs the notesync vs Node socket.io baseline benchmark: see docs/benchmark.md.
#   bench/run.sh            full run (about 35 minutes with the slow and storm scenarios)
#   bench/run.sh --quick    smoke run (a few minutes)
# Other flags: --scenarios steady,burst,idle,fanout,slow,storm  --servers notesync,baseline,baseline-addons,baseline-cluster  --jfr
#              --idle N (idle sockets, default 19800)  --storm N (reconnect-storm sockets, default 15000)  --jvm-opts "..." (added to NOTESYNC_JAVA_OPTS)  --jar FILE  --out DIR
#              --ns-set key=value,key=value (notesync settings)
#              --nodes N (also an N-node notesync cluster with a local Redis; default 1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# The idle scenario needs one file descriptor per socket: raise the soft limit to the hard one
# (20,000 here; it cannot be raised further without CAP_SYS_RESOURCE). Children inherit it.
ulimit -n "$(ulimit -Hn)" || true
if [ ! -d "$here/node_modules/socket.io-client" ] || [ ! -d "$here/node_modules/socket.io" ] || [ ! -d "$here/node_modules/mongodb" ] \
   || [ ! -d "$here/node_modules/@socket.io/sticky" ] || [ ! -d "$here/node_modules/@socket.io/cluster-adapter" ] \
   || [ ! -d "$here/node_modules/bufferutil" ] || [ ! -d "$here/node_modules/utf-8-validate" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$root/server/target/notesync.jar" ]; then
  (cd "$root" && mvn -o -q -pl server -am package -DskipTests)
fi
exec node "$here/run.mjs" "$@"
