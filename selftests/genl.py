#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-made request to the ipmp generic netlink family.

The selftests use it to send what the tools never send (unknown, read-only
or malformed attributes) and to read the kernel's reply as it is.

    genl.py [--dump] CMD [NEST.ATTR=TYPE:VALUE ...]
    genl.py --monitor SECONDS

CMD is a command name (group-get, member-add, ...) or a number.  NEST is
"group" or "member" (or a number); ATTR an attribute name or number; TYPE one
of u8, u16, u32, str, bin (hex).  "NEST=raw:HEX" puts raw bytes in the nest.
Prints each reply's attributes as NEST.ATTR=VALUE lines.  On an error ack
prints "error: ERRNO-NAME: EXTACK-MESSAGE" to stderr and exits 1.
--monitor prints the notifications of the "events" group for SECONDS, each
as a line "CMD" followed by its attributes.
"""
import errno
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 1 << 15
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK, SOL_NETLINK = 11, 270
NLMSGERR_ATTR_MSG = 1

# Mirrors include/uapi/linux/ipmp.h.
CMDS = ["unspec", "group-get", "group-new", "group-del", "group-set",
        "member-get", "member-add", "member-del", "member-set", "addr-get",
        "testaddr-add", "testaddr-del", "target-add", "target-del"]
NESTS = {"group": 1, "member": 2, "addr": 3}
ATTRS = {
    "group": ["unspec", "ifindex", "ifname", "name", "state", "fdt",
              "failback", "nmembers", "nactive", "announce-count",
              "announce-interval", "naddrs", "target", "targets"],
    "member": ["unspec", "ifindex", "ifname", "group-ifindex", "state",
               "flags", "active", "standby", "link", "probe", "offline",
               "naddrs", "testaddr", "testaddr-prefixlen", "rtt-us"],
    "addr": ["unspec", "family", "address", "prefixlen", "group-ifindex",
             "bound-ifindex", "up"],
}


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def parse_attrs(data):
    out = []
    while len(data) >= 4:
        alen, atype = struct.unpack("=HH", data[:4])
        if alen < 4:
            break
        out.append((atype & ~NLA_F_NESTED, data[4:alen]))
        data = data[(alen + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, attrs, flags):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + attrs
        msg = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.sock.send(msg + body)
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16:
                mlen, mtype, mflags, _, _ = struct.unpack("=IHHII", data[:16])
                payload = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if mtype == NLMSG_DONE:
                    return replies, None
                if mtype == NLMSG_ERROR:
                    return replies, self.parse_error(payload, mflags)
                replies.append(payload)

    @staticmethod
    def parse_error(payload, mflags):
        err = struct.unpack("=i", payload[:4])[0]
        if err == 0:
            return None
        msg = ""
        # NLM_F_CAPPED (0x100): the request is not echoed back.
        offset = 4 + 16 if mflags & 0x100 else 4 + struct.unpack(
            "=I", payload[4:8])[0]
        for atype, val in parse_attrs(payload[offset:]):
            if atype == NLMSGERR_ATTR_MSG:
                msg = val.rstrip(b"\0").decode()
        return -err, msg

    def family(self, name):
        """The family's id and its multicast groups by name."""
        attrs = nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
        replies, err = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attrs, 0)
        if err:
            sys.exit("error: family %s: %s" % (name, os.strerror(err[0])))
        fid, groups = None, {}
        for atype, val in parse_attrs(replies[0][4:]):
            if atype == CTRL_ATTR_FAMILY_ID:
                fid = struct.unpack("=H", val[:2])[0]
            elif atype == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in parse_attrs(val):
                    g = dict(parse_attrs(grp))
                    groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        if fid is None:
            sys.exit("error: no family id")
        return fid, groups

    def family_id(self, name):
        return self.family(name)[0]

    def monitor(self, seconds):
        _, groups = self.family("ipmp")
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
        self.sock.settimeout(0.2)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            while len(data) >= 16:
                mlen = struct.unpack("=I", data[:4])[0]
                payload = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                cmd = payload[0]
                print(CMDS[cmd] if cmd < len(CMDS) else str(cmd))
                show(payload)
            sys.stdout.flush()


def lookup(names, word, what):
    if word.isdigit():
        return int(word)
    if word not in names:
        sys.exit("usage: unknown %s %r" % (what, word))
    return names.index(word) if isinstance(names, list) else names[word]


def encode(spec):
    nests = {}
    for item in spec:
        key, _, value = item.partition("=")
        nest, _, attr = key.partition(".")
        nid = lookup(NESTS, nest, "nest")
        kind, _, val = value.partition(":")
        if not attr and kind == "raw":
            nests.setdefault(nid, b"")
            nests[nid] += bytes.fromhex(val)
            continue
        aid = lookup(ATTRS.get(nest, []), attr, "attribute")
        if kind == "str":
            payload = val.encode() + b"\0"
        elif kind == "bin":
            payload = bytes.fromhex(val)
        else:
            fmt = {"u8": "=B", "u16": "=H", "u32": "=I"}[kind]
            payload = struct.pack(fmt, int(val, 0))
        nests[nid] = nests.get(nid, b"") + nla(aid, payload)
    return b"".join(nla(nid | NLA_F_NESTED, body) for nid, body in nests.items())


def show(payload):
    names = {v: k for k, v in NESTS.items()}
    for nid, body in parse_attrs(payload[4:]):
        nest = names.get(nid, str(nid))
        for aid, val in parse_attrs(body):
            anames = ATTRS.get(nest, [])
            aname = anames[aid] if aid < len(anames) else str(aid)
            if aname in ("ifname", "name"):
                text = val.rstrip(b"\0").decode()
            elif len(val) == 1:
                text = str(val[0])
            elif len(val) == 4:
                text = str(struct.unpack("=I", val)[0])
            else:
                text = val.hex()
            print("%s.%s=%s" % (nest, aname, text))


def main(argv):
    flags = 0
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--dump":
            flags |= NLM_F_DUMP
        elif opt == "--monitor" and argv:
            Genl().monitor(float(argv[0]))
            return 0
        else:
            sys.exit("usage: unknown option " + opt)
    if not argv:
        sys.exit(__doc__)
    cmd = lookup(CMDS, argv[0], "command")
    g = Genl()
    replies, err = g.request(g.family_id("ipmp"), cmd, encode(argv[1:]), flags)
    for r in replies:
        show(r)
    if err:
        name = errno.errorcode.get(err[0], str(err[0]))
        print("error: %s: %s" % (name, err[1]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
