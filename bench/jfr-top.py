#!/usr/bin/env python3
"""Summarise a JFR recording's CPU samples: top self frames, top inclusive frames, and the
hottest threads. Usage: bench/jfr-top.py FILE.jfr [N] [FILTER]  (needs the JDK's `jfr` tool).
FILTER keeps only inclusive frames containing that substring (e.g. io.notesync)."""
import collections, subprocess, sys, json

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
flt = sys.argv[3] if len(sys.argv) > 3 else None
raw = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(raw)['recording']['events']
self_c, incl_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
for e in events:
    v = e['values']
    frames = v['stackTrace']['frames'] if v.get('stackTrace') else []
    names = [f"{f['method']['type']['name']}.{f['method']['name']}" for f in frames]
    threads[(v.get('sampledThread') or {}).get('javaName') or '?'] += 1
    if names:
        self_c[names[0]] += 1
    for name in set(names):
        if not flt or flt in name:
            incl_c[name] += 1
total = len(events) or 1
print(f'{len(events)} samples')
for title, c in (('threads', threads), ('self', self_c), ('inclusive', incl_c)):
    print(f'\n-- {title}')
    for k, v in c.most_common(n):
        print(f'{100 * v / total:5.1f}%  {k}')
