#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forged echo replies do not keep a dead member alive: a reply must match
# the probe's id, sequence number and target.  The switch drops what e0
# sends, and a forger on e0's switch port, which still sees e0's probes,
# answers each one with one field wrong.  The control, a forged reply with
# every field right, shows the forgeries do reach e0.
#
#   host ns "h"                                switch ns "sw"          router "r"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q0 ] -- 192.0.2.1
#                                                   forger on p0
source "$(dirname "$0")/lib.sh"

require_cmd tc python3
ktap_header
setup_ns h sw r
H=$NS_h
SW=$NS_sw
R=$NS_r
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
drop_at() { port_drop "$SW" "$1"; }
pass_at() { port_pass "$SW" "$1"; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
switch_host "$SW" "$R" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0 fdt 1000
ipv4_only "$H" ipmp0	# IPv4 probing here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24
h "$IPMPADM" target add ipmp0 192.0.2.1

# forge WRONG: answer every echo request e0 sends with a reply whose field
# WRONG (id, seq, src, or none) is off, until killed.  Packet taps see the
# request on p0 before tc's ingress drop does.
cat >"$_lib_tmp/forge.py" <<'EOF'
import socket, struct, sys

wrong = sys.argv[1]
# ETH_P_ALL: only taps for every protocol see frames before tc's ingress
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind(("p0", 0))
open(sys.argv[2], "w").close()

def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

while True:
    f, addr = s.recvfrom(4096)
    if addr[2] == socket.PACKET_OUTGOING or len(f) < 42 or f[12:14] != b"\x08\x00":
        continue
    ihl = (f[14] & 15) * 4
    ip, icmp = f[14:14 + ihl], f[14 + ihl:]
    if ip[9] != 1 or icmp[0] != 8 or ip[12:16] != socket.inet_aton("192.0.2.31"):
        continue
    ident, seq = struct.unpack("!HH", icmp[4:8])
    src = ip[16:20]
    if wrong == "id":
        ident ^= 0x5a5a
    elif wrong == "seq":
        seq = (seq + 0x1000) & 0xffff
    elif wrong == "src":
        src = socket.inet_aton("192.0.2.99")
    body = struct.pack("!BBHHH", 0, 0, 0, ident, seq) + icmp[8:]
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, 1,
                      0, src, ip[12:16])
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    s.send(f[6:12] + f[0:6] + b"\x08\x00" + hdr + body)
EOF
forge() {
	rm -f "$_lib_tmp/forging"
	ip netns exec "$SW" python3 "$_lib_tmp/forge.py" "$1" "$_lib_tmp/forging" &
	FORGER=$!
	poll 20 test -e "$_lib_tmp/forging"
}
unforge() { kill "$FORGER" 2>/dev/null; wait "$FORGER" 2>/dev/null; }
defer sh -c 'kill $(jobs -p) 2>/dev/null'

wait_for "probes are answered on both members" 10 \
	eval 'i_is INTERFACE,PROBE e0:ok && i_is INTERFACE,PROBE e1:ok'
dmesg_mark

for wrong in id seq src; do
	forge "$wrong"
	drop_at p0
	wait_for "replies with the wrong $wrong do not keep e0's dead path alive" 4 \
		i_is INTERFACE,PROBE,STATE e0:failed:failed
	pass_at p0
	unforge
	wait_for "e0 is repaired once its path is back ($wrong)" 5 i_is INTERFACE,STATE e0:ok
done

forge none
drop_at p0
check_fail "the control: replies with every field right do reach e0 and keep it" \
	poll 3 i_is INTERFACE,STATE e0:failed
pass_at p0
unforge
check "e1 was never failed" eval '! dmesg_has "failure detected on e1"'

ktap_finish
