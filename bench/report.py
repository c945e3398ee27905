#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# report.py: the host's side of a benchmark's result.  bench/run calls it
# with the JSON a benchmark wrote in the guest; it adds the date, the host
# (from the environment bench/run sets: HOST_CPU, HOST_CPUS, HOST_KERNEL,
# QEMU, ACCEL, COMMIT, DIRTY, ELAPSED), writes the result and prints the
# benchmark's table.
#
#   report.py probe-cpu|outage|datapath|detect|scale|memory GUEST.json RESULT.json
import datetime
import json
import os
import sys


def wrap(r):
    env = os.environ
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "cpu": env["HOST_CPU"], "cpus": int(env["HOST_CPUS"]),
            "kernel": env["HOST_KERNEL"], "qemu": env["QEMU"],
            "accel": env["ACCEL"], "kvm": env["ACCEL"] == "kvm",
        },
        "kernel": r["guest"]["kernel"],
        "source": {"commit": env["COMMIT"], "uncommitted_changes": env["DIRTY"] == "true"},
        "make_bench_s": int(env["ELAPSED"]),
        **r,
    }


def print_probe_cpu(r, path):
    b, c, u = r["busy_pct"], r["cost_pct"], r["us_per_packet"]
    pr, pg = r["probe_rate"], r["ping"]
    m = r["machine"]
    print()
    print(f"probe-cpu, {r['date']}: {r['members']} members, FDT {r['fdt_ms']} ms, "
          f"{r['window_s']} s windows x {r['rounds']} rounds (medians)")
    print(f"guest: {r['guest']['cpus']} CPUs, kernel {r['kernel']}, QEMU {m['accel'].upper()}"
          f"{'' if m['kvm'] else ' (software emulation, no KVM)'}; "
          f"host: {m['cpus']} x {m['cpu']}; source {r['source']['commit']}"
          f"{' + uncommitted changes' if r['source']['uncommitted_changes'] else ''}")
    print()
    rows = [
        ("no group", b["none"], None, None),
        ("group, probing off", b["off"], None, None),
        ("group, probing on", b["on"], pr["in_on_windows_per_s"], None),
        ("probing off + userspace ping", b["ping"], pg["in_ping_windows_per_s"], None),
        ("probing (on - off)", c["probing"], pr["in_on_windows_per_s"], u["probe"]),
        ("probe timers (off - no group)", c["probe_timers"], None, None),
        ("userspace ping (ping - off)", c["ping"], pg["in_ping_windows_per_s"], u["ping"]),
    ]
    print(f"  {'':32} {'busy, % of one core':>20} {'packets/s':>10} {'us a packet':>12}")
    for name, pct, rate, us in rows:
        print(f"  {name:32} {pct:20.2f} {'' if rate is None else f'{rate:.0f}':>10} "
              f"{'' if us is None else f'{us:.1f}':>12}")
    print()
    ratio = r["ratio_probe_to_ping"]
    print(f"ipmp probing costs {c['probing']:.2f}% of one core at {pr['in_on_windows_per_s']:.0f} probes/s; "
          f"userspace ping ({pg['tool']}) at {pg['in_ping_windows_per_s']:.0f}/s costs {c['ping']:.2f}%")
    print(f"per packet, probing costs {ratio if ratio is None else f'{ratio:.2f}'} x what userspace ping does; "
          f"at the nominal {pr['nominal_per_s']:.0f} probes/s probing would cost {c['probing_at_nominal']:.2f}%")
    ow = r["on_windows"]
    if ow["fdt_stretched"] or ow["member_failures"] or ow["ended_above_fdt"]:
        print(f"note: during the on windows the FDT was stretched {ow['fdt_stretched']} times and "
              f"{ow['member_failures']} member failures were detected: the guest did not keep up with "
              f"FDT {r['fdt_ms']} ms")
    if r["high_variance"]:
        print("note: high variance between windows of one kind: something else loaded the machine "
              f"(spread: {r['spread_pct']})")
    if not m["kvm"]:
        print("note: QEMU TCG: kernel code runs several times slower than on hardware; "
              "judge the ratio, not the percentage")
    print(f"result: {os.path.relpath(path)}; make bench took {r['make_bench_s']} s")


OUTAGE_NAMES = {
    "ipmp": "ipmp (link-based)",
    "bond100": "bonding, miimon=100",
    "bond10": "bonding, miimon=10",
    "team": "team (teamd, ethtool)",
}


def ratio(v, base):
    return f"{v / base:.3f}" if base else "-"


def print_outage(r, path):
    p, s, m = r["parameters"], r["systems"], r["machine"]
    base = s.get("bond100")
    print()
    print(f"outage, {r['date']}: {p['failovers']} failovers a system, the peer sends "
          f"{p['rate_per_s']} UDP datagrams/s to the data address of the system under test; "
          f"a {p['window_ms']} ms window after each link pull")
    print(f"guest: {r['guest']['cpus']} CPUs, kernel {r['kernel']}, QEMU {m['accel'].upper()}"
          f"{'' if m['kvm'] else ' (software emulation, no KVM)'}; "
          f"host: {m['cpus']} x {m['cpu']}; source {r['source']['commit']}"
          f"{' + uncommitted changes' if r['source']['uncommitted_changes'] else ''}")
    print()
    hdr = ("median", "x bond100", "max", "x bond100", "median", "x bond100", "max",
           "median", "max", "not moved", "noise", "sent/s")
    print(f"  {'':22} {'outage, ms':^45} {'loss span, ms':^33} {'lost':^23}")
    print(f"  {'':22}" + "".join(f" {h:>10}" for h in hdr))
    for name, v in s.items():
        o, sp, lost = v["outage_ms"], v["loss_span_ms"], v["lost"]
        b = base or {}
        cells = [f"{o['median']:.1f}", ratio(o["median"], b and b["outage_ms"]["median"]),
                 f"{o['max']:.1f}", ratio(o["max"], b and b["outage_ms"]["max"]),
                 f"{sp['median']:.1f}", ratio(sp["median"], b and b["loss_span_ms"]["median"]),
                 f"{sp['max']:.1f}",
                 f"{lost['median']:g}", f"{lost['max']:g}", str(v["not_moved"]),
                 f"{v['quiet_maxgap_ms']['median']:.1f}", f"{v['sender']['rate_per_s']:.0f}"]
        print(f"  {OUTAGE_NAMES.get(name, name):22}" + "".join(f" {c:>10}" for c in cells))
    print()
    print("  outage: the longest gap between arrivals; loss span: the longest time over which "
          "what was sent was lost (send stamps),")
    print("  blind to stalls that lose nothing; noise: the median longest gap in the 200 ms "
          "before each pull, nothing failing")
    errs = {n: v["receiver_rcvbuf_errors"] for n, v in s.items() if v["receiver_rcvbuf_errors"]}
    if errs:
        print(f"note: the receiver's socket overflowed ({errs}): some of the lost are not the failover's")
    ip = s.get("ipmp")
    for key, what in (("outage_ms", "outage"), ("loss_span_ms", "loss span")):
        if not ip:
            break
        med = ip[key]["median"]
        goals = []
        if base:
            goals.append(("at most 1/10 of bonding miimon=100", med <= base[key]["median"] / 10,
                          f"{ratio(med, base[key]['median'])} x"))
        for other in ("bond10", "team"):
            if other in s:
                om = s[other][key]["median"]
                goals.append((f"no worse than {OUTAGE_NAMES[other]}", med <= om,
                              f"{med:.1f} against {om:.1f} ms"))
        for text, ok, fig in goals:
            print(f"  goal: ipmp's median {what} {text}: {'met' if ok else 'MISSED'} ({fig})")
    if any(v["not_moved"] for v in s.values()):
        print("note: in some failovers the traffic had not moved by the end of the window: "
              "their outage is the whole window")
    if not m["kvm"]:
        print("note: QEMU TCG: the guest runs several times slower than hardware, and other "
              "guests share the host's cores; judge the ratios")
    print(f"result: {os.path.relpath(path)}; make bench had run {r['make_bench_s']} s by then")


DATAPATH_TESTS = {
    "tcp1": "TCP, 1 stream, Mbit/s",
    "tcp4": "TCP, 4 streams, Mbit/s",
    "udp64": "UDP 64 bytes, received/s",
}


def print_datapath(r, path):
    p, s, m = r["parameters"], r["systems"], r["machine"]
    print()
    print(f"datapath, {r['date']}: iperf3 through one veth, {p['seconds']} s a test, "
          f"medians of {p['rounds']} rounds; ratios to bare")
    print(f"guest: {r['guest']['cpus']} CPUs, kernel {r['kernel']}, QEMU {m['accel'].upper()}"
          f"{'' if m['kvm'] else ' (software emulation, no KVM)'}; source {r['source']['commit']}"
          f"{' + uncommitted changes' if r['source']['uncommitted_changes'] else ''}")
    print()
    print(f"  {'':26}" + "".join(f" {n:>12} {'x bare':>7}" for n in s))
    for t, name in DATAPATH_TESTS.items():
        cells = "".join(f" {s[n][t]['median']:12.0f} {s[n][t]['ratio_to_bare']:7.3f}" for n in s)
        print(f"  {name:26}{cells}")
    print()
    if "ipmp" in s:
        for t, name in DATAPATH_TESTS.items():
            ip, bond = s["ipmp"][t], s.get("bond", {}).get(t)
            ok = ip["ratio_to_bare"] >= 0.95 and (not bond or ip["median"] >= bond["median"])
            vs = f", bond {bond['ratio_to_bare']:.3f} x" if bond else ""
            print(f"  goal: ipmp at least 0.95 x bare and at least bonding, {name}: "
                  f"{'met' if ok else 'MISSED'} ({ip['ratio_to_bare']:.3f} x bare{vs})")
    if not m["kvm"]:
        print("note: QEMU TCG and a shared host: the rounds vary; judge the ratios")
    print(f"result: {os.path.relpath(path)}; make bench had run {r['make_bench_s']} s by then")

DETECT_NAMES = {
    "ipmp": "ipmp (probes, FDT)",
    "bond": "bonding, ARP monitor",
    "team": "team (teamd, arp_ping)",
}


def fmt(v, spec=".1f"):
    return "-" if v is None else f"{v:{spec}}"


def print_detect(r, path):
    p, d, m = r["parameters"], r["detection"], r["machine"]
    print()
    print(f"detect, {r['date']}: {p['breaks']} breaks a system and budget; the switch port "
          f"of the member in use disabled, its link up; detection = from the switch's port "
          f"event to the system's verdict")
    print(f"guest: {r['guest']['cpus']} CPUs, kernel {r['kernel']}, QEMU {m['accel'].upper()}"
          f"{'' if m['kvm'] else ' (software emulation, no KVM)'}; "
          f"host: {m['cpus']} x {m['cpu']}; source {r['source']['commit']}"
          f"{' + uncommitted changes' if r['source']['uncommitted_changes'] else ''}")
    print(f"  bond: {p['bond']}; team: {p['team']}")
    print()
    hdr = ("budget", "median", "x budget", "x bond", "min", "max", "x budget", "missed")
    print(f"  {'':24}" + "".join(f" {h:>9}" for h in hdr))
    for b, per in d.items():
        for name, v in per.items():
            cells = [f"{b} ms", fmt(v["median_ms"]), fmt(v["median_to_budget"], ".2f"),
                     fmt(v["median_to_bond"], ".2f"), fmt(v["min_ms"]), fmt(v["max_ms"]),
                     fmt(v["max_to_budget"], ".2f"), f"{v['undetected']}/{v['breaks']}"]
            print(f"  {DETECT_NAMES.get(name, name):24}" + "".join(f" {c:>9}" for c in cells))
    print()
    print("  ms from the break; missed: breaks with no verdict within 3 x the budget + 5 s")
    for b, per in d.items():
        ip = per.get("ipmp")
        if not ip or ip["max_ms"] is None:
            continue
        ok = ip["max_ms"] <= int(b) and not ip["undetected"]
        print(f"  ipmp at FDT {b} ms: every break detected within the FDT: "
              f"{'yes' if ok else 'NO'} (max {ip['max_ms']:.1f} ms, {ip['undetected']} missed)")
    ff = r["false_failures"]
    if ff:
        print()
        print("  false failures at budget 100 ms, one guest CPU busy, nothing broken:")
        for name, v in ff.items():
            goal = " (goal 0: " + ("met" if v["member_failures"] == 0 else "MISSED") + ")" \
                if name == "ipmp" else ""
            st = "" if v["fdt_stretched"] is None else f", FDT stretched {v['fdt_stretched']} times"
            print(f"    {DETECT_NAMES.get(name, name):24} {v['member_failures']:4d} member failures in "
                  f"{v['seconds'] / 60:.1f} min{st}; guest load {v['guest_load_start']} to "
                  f"{v['guest_load_end']}{goal}")
    if not m["kvm"]:
        print("note: QEMU TCG: the guest runs several times slower than hardware, and other "
              "guests share the host's cores")
    print(f"result: {os.path.relpath(path)}; make bench had run {r['make_bench_s']} s by then")


def guest_line(r):
    m = r["machine"]
    return (f"guest: {r['guest']['cpus']} CPUs, kernel {r['kernel']}, QEMU {m['accel'].upper()}"
            f"{'' if m['kvm'] else ' (software emulation, no KVM)'}; "
            f"host: {m['cpus']} x {m['cpu']}; source {r['source']['commit']}"
            f"{' + uncommitted changes' if r['source']['uncommitted_changes'] else ''}")


def print_failovers(cases, key, what):
    if not cases:
        return
    base, sbase = cases[0]["last_ms"], cases[0]["span_ms"]
    x = "x " + str(cases[0][key])
    print(f"  {what:>10} {'moved':>6} {'last announced, ms':>19} {x:>8} "
          f"{'max, ms':>9} {'first ARP, ms':>14} {'span, ms':>9} {x:>8} {'add, ms':>9} {'dummy add':>10}")
    for c in cases:
        print(f"  {c[key]:10d} {c['moved']:6g} {c['last_ms']:19.1f} {ratio(c['last_ms'], base):>8} "
              f"{c['last_max_ms']:9.1f} {c['first_ms']:14.1f} {c['span_ms']:9.1f} "
              f"{ratio(c['span_ms'], sbase):>8} {c['add_ms']:9.0f} {c['add_dummy_ms']:10.0f}")


def print_scale(r, path):
    p, m = r["parameters"], r["machine"]
    print()
    print(f"scale, {r['date']}: medians of {p['rounds']} failovers a case; the time from the link "
          f"pull to the first gratuitous ARP of the address announced last")
    print(guest_line(r))
    print()
    print("failover against the number of data addresses, 2 members:")
    print_failovers(r["by_addresses"], "addresses", "addresses")
    print()
    print(f"failover against the number of members, {p['member_addresses']} addresses:")
    print_failovers(r["by_members"], "members", "members")
    print("  span: from the first gratuitous ARP to that of the address announced last; add: ip -batch")
    print("  adding the addresses to the group; dummy add: the same on a dummy device in another netns")
    g = r.get("groups")
    if g:
        pg = g["per_group_ms"]
        print()
        print(f"{g['groups']} groups (ms in all, ms a group; bonding devices the same way):")
        rows = [("ipmpadm restore (create)", g["ipmpadm_restore_ms"], pg["ipmpadm_restore"], pg["bond_add"]),
                ("ip -batch link add type ipmp", g["ip_batch_add_ms"], pg["ip_add"], pg["bond_add"]),
                ("ip -batch link del", g["ip_batch_del_ms"], pg["ip_del"], pg["bond_del"]),
                ("bonds: ip -batch link add", g["bond_add_ms"], pg["bond_add"], pg["bond_add"]),
                ("bonds: ip -batch link del", g["bond_del_ms"], pg["bond_del"], pg["bond_del"])]
        print(f"  {'':30} {'ms':>10} {'ms a group':>11} {'x bond':>8}")
        for name, tot, per, base in rows:
            print(f"  {name:30} {tot:10.0f} {per:11.2f} {ratio(per, base):>8}")
    d = r.get("dumps")
    if d:
        print()
        print("dumping the data addresses over genl (median of 3 runs; per address: less the run with none):")
        print(f"  {'addresses':>10} {'ipmpstat -n -a, ms':>19} {'us/addr':>8} {'x first':>8} "
              f"{'ipmpadm show -j, ms':>20} {'us/addr':>8} {'x first':>8}")
        for x in d:
            if not x["addresses"]:
                print(f"  {0:10d} {x['ipmpstat_ms']:19.1f} {'':>8} {'':>8} {x['show_ms']:20.1f}")
                continue
            print(f"  {x['addresses']:10d} {x['ipmpstat_ms']:19.1f} {x['ipmpstat_us_per_addr']:8.1f} "
                  f"{x['ipmpstat_per_addr_ratio']:8.2f} {x['show_ms']:20.1f} "
                  f"{x['show_us_per_addr']:8.1f} {x['show_per_addr_ratio']:8.2f}")
        print("  x first: the cost per address against that at the smallest count (1.00: linear)")
    print("  the CPU of probing 64 members at FDT 100 ms: bench/run probe-cpu")
    if not m["kvm"]:
        print("note: QEMU TCG: the guest runs several times slower than hardware; judge the ratios")
    print(f"result: {os.path.relpath(path)}; make bench had run {r['make_bench_s']} s by then")


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def memory_figures(r):
    """{(case, system): {"bytes", "slab_bytes", "percpu_bytes", "kept_kb"}}, medians."""
    out = {}
    for s in r["samples"]:
        out.setdefault((s["case"], s["system"]), []).append(s)
    return {k: {f: median([x[f] for x in v])
                for f in ("bytes", "slab_bytes", "percpu_bytes", "used_bytes", "kept_kb")}
            for k, v in out.items()}


def print_memory(r, path):
    p, m = r["parameters"], r["machine"]
    f = memory_figures(r)
    print()
    print(f"memory, {r['date']}: kernel memory per object from /proc/meminfo, medians of "
          f"{p['rounds']} rounds")
    print(guest_line(r))
    print()
    counts = {"group": p["groups"], "member": p["members"], "address": p["addresses"]}
    print(f"  {'':22} {'count':>6} {'bytes each':>11} {'x bond':>8} {'slab':>8} {'percpu':>7} "
          f"{'used':>8} {'not back, KB':>13}")
    for case in ("group", "member", "address"):
        for sys_ in ("ipmp", "bond", "dummy"):
            v = f.get((case, sys_))
            if not v:
                continue
            base = f.get((case, "bond"), {}).get("bytes")
            print(f"  {case + ', ' + sys_:22} {counts[case]:6d} {v['bytes']:11.0f} {ratio(v['bytes'], base):>8} "
                  f"{v['slab_bytes']:8.0f} {v['percpu_bytes']:7.0f} {v['used_bytes']:8.0f} {v['kept_kb']:13.0f}")
    sz = r.get("sizes") or {}
    if sz:
        print()
        print("  structure sizes (sizeof, and the kmalloc bucket it falls in):")
        for n, v in sz.items():
            print(f"    {n:26} {v['sizeof']:7d} {v['kmalloc']:7d}")
    print("  bytes: slab + percpu; used: MemTotal - MemFree - Buffers - Cached, a noisier cross-check")
    print("  group: the device, down; member: joining a group (a bond), up; address: an IPv4 address")
    print("  on the group (bond, dummy) with 2 members; dummy: the bare net_device or address")
    print(f"result: {os.path.relpath(path)}; make bench had run {r['make_bench_s']} s by then")


def main():
    names = ("probe-cpu", "outage", "datapath", "detect", "scale", "memory")
    if len(sys.argv) != 4 or sys.argv[1] not in names:
        sys.exit("usage: report.py probe-cpu|outage|datapath|detect|scale|memory GUEST.json RESULT.json")
    name, src, dst = sys.argv[1:]
    r = wrap(json.load(open(src)))
    with open(dst, "w") as f:
        json.dump(r, f, indent=2)
        f.write("\n")
    {"probe-cpu": print_probe_cpu, "outage": print_outage,
     "datapath": print_datapath, "detect": print_detect,
     "scale": print_scale, "memory": print_memory}[name](r, dst)


if __name__ == "__main__":
    main()
