#!/bin/bash
# Measures Linux's retransmission backoff after a silent partition on real TCP (docs/model.md,
# "The network"). Needs root and network namespaces; run by hand, not by the test suite.
#
#   sudo bench/real-tcp-backoff.sh CUT_SECONDS [SECONDS_AFTER_HEAL]
#
# A – M – B: three namespaces, M a router. A sends 1 KB every 10 ms to B. The cut replaces M's
# routes with blackhole routes (a silent drop: no ICMP, no local error at the sender); the heal
# removes them. Prints when data resumed at B, relative to the cut and to the heal, and any
# error the sender got (ETIMEDOUT once tcp_retries2 gives up, ≈ 925–940 s into a cut).
set -euo pipefail
CUT=${1:?cut length in seconds}; AFTER=${2:-40}
DIR=$(mktemp -d)
NS="rtbA rtbB rtbM"
cleanup() { for n in $NS; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup
for n in $NS; do ip netns add "$n"; ip -n "$n" link set lo up; done
# (Device names must not abbreviate an `ip link set` keyword: "ma" would read as "master".)
ip link add vA netns rtbA type veth peer name rtA netns rtbM
ip link add vB netns rtbB type veth peer name rtB netns rtbM
ip -n rtbA addr add 10.77.1.1/24 dev vA; ip -n rtbM addr add 10.77.1.2/24 dev rtA
ip -n rtbB addr add 10.77.2.1/24 dev vB; ip -n rtbM addr add 10.77.2.2/24 dev rtB
for l in rtA rtB; do ip -n rtbM link set "$l" up; done
ip -n rtbA link set vA up; ip -n rtbB link set vB up
ip -n rtbA route add default via 10.77.1.2; ip -n rtbB route add default via 10.77.2.2
ip netns exec rtbM sysctl -qw net.ipv4.ip_forward=1
ip netns exec rtbB python3 -c '
import socket, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); ls.bind(("10.77.2.1", 7777)); ls.listen(1)
c, _ = ls.accept(); last = None
while True:
    d = c.recv(65536)
    if not d: break
    now = time.time()
    if last is not None and now - last > 0.5: print("resumed", now, flush=True)
    last = now
' > "$DIR/recv" 2>&1 &
RP=$!
sleep 0.5
ip netns exec rtbA python3 -c '
import socket, time
s = socket.create_connection(("10.77.2.1", 7777)); s.setblocking(False)
while True:
    try: s.send(b"x" * 1024)
    except BlockingIOError: pass
    except OSError as e: print("error", time.time(), e, flush=True); break
    time.sleep(0.01)
' > "$DIR/send" 2>&1 &
SP=$!
sleep 2
CUT_AT=$(date +%s.%N)
ip -n rtbM route add blackhole 10.77.2.1/32; ip -n rtbM route add blackhole 10.77.1.1/32
sleep "$CUT"
HEAL_AT=$(date +%s.%N)
ip -n rtbM route del blackhole 10.77.2.1/32; ip -n rtbM route del blackhole 10.77.1.1/32
sleep "$AFTER"
kill $SP $RP 2>/dev/null || true
awk -v c="$CUT_AT" -v h="$HEAL_AT" '$1 == "resumed" { printf "data resumed %.2f s after the cut, %.2f s after the heal\n", $2 - c, $2 - h }' "$DIR/recv"
awk -v c="$CUT_AT" '$1 == "error" { $1 = ""; t = $2; $2 = ""; printf "sender error %.2f s after the cut:%s\n", t - c, $0 }' "$DIR/send"
rm -rf "$DIR"
