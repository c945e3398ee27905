#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# report.py: the host's side of a benchmark's result.  bench/run calls it
# with the JSON a benchmark wrote in the guest; it adds the date, the host
# (from the environment bench/run sets: HOST_CPU, HOST_CPUS, HOST_KERNEL,
# QEMU, ACCEL, COMMIT, DIRTY, ELAPSED), writes the result and prints the
# benchmark's table.
#
#   report.py probe-cpu|outage|datapath|detect GUEST.json RESULT.json
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


def main():
    names = ("probe-cpu", "outage", "datapath", "detect")
    if len(sys.argv) != 4 or sys.argv[1] not in names:
        sys.exit("usage: report.py probe-cpu|outage|datapath|detect GUEST.json RESULT.json")
    name, src, dst = sys.argv[1:]
    r = wrap(json.load(open(src)))
    with open(dst, "w") as f:
        json.dump(r, f, indent=2)
        f.write("\n")
    {"probe-cpu": print_probe_cpu, "outage": print_outage,
     "datapath": print_datapath, "detect": print_detect}[name](r, dst)


if __name__ == "__main__":
    main()
