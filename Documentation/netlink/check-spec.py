#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check Documentation/netlink/specs/ipmp.yaml against include/uapi/linux/ipmp.h.

The header is the source of truth.  Every name the spec implies (with the
C naming rules of the YNL code generator and the spec's genetlink-c/legacy
overrides) must be in the header with the same value, and every constant,
enum value and flag of the header must come from the spec.  Attribute types
are also compared with the header's kernel-doc ("@IPMP_A_GROUP_FDT: u32, ...").

    check-spec.py [--spec FILE] [--header FILE] [--schema FILE] [-v]

--schema FILE also validates the spec with jsonschema against the kernel's
Documentation/netlink/genetlink-legacy.yaml (not shipped here).
Exit status: 0 when they agree, 1 on a mismatch, 2 on a usage error.
"""
import argparse
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def c_name(*parts):
    return "_".join(p.strip("-").replace("-", "_") for p in parts if p).upper()


def parse_header(text):
    """Return ({NAME: value}, {enum name: [NAME, ...]}, {NAME: type word})."""
    text_nc = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    values, enums = {}, {}

    for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text_nc, re.M):
        name, val = m.group(1), m.group(2)
        if name.startswith("_UAPI_"):
            continue
        if re.fullmatch(r'"[^"]*"', val):
            values[name] = val.strip('"')
        elif re.fullmatch(r"\d+U?", val):
            values[name] = int(val.rstrip("U"))
        elif m2 := re.fullmatch(r"\(\s*1U?\s*<<\s*(\d+)\s*\)", val):
            values[name] = 1 << int(m2.group(1))
        else:
            values[name] = val

    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text_nc, re.S):
        names, nxt = [], 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            name, _, init = (s.strip() for s in item.partition("="))
            if init:
                ref = re.fullmatch(r"(\w+)\s*-\s*1", init)
                val = values[ref.group(1)] - 1 if ref else int(init, 0)
            else:
                val = nxt
            values[name] = val
            names.append(name)
            nxt = val + 1
        enums[m.group(1)] = names

    # "@IPMP_A_GROUP_FDT: u32, ..." or "IPMP_A_GROUP,\t/* nest, ... */"
    types = {m.group(1): m.group(2) for m in
             re.finditer(r"@(IPMP_A_\w+):\s*(\w+)", text)}
    types.update((m.group(1), m.group(2)) for m in
                 re.finditer(r"^\s*(IPMP_A_\w+),\s*/\*\s*(\w+)", text, re.M))
    return values, enums, types


class Checker:
    def __init__(self, spec, header, verbose):
        self.spec = spec
        self.hval, self.henum, self.htype = header
        self.verbose = verbose
        self.errors = 0
        self.seen = set()	# header names the spec accounts for
        self.family = spec["name"]

    def err(self, msg):
        print("check-spec: " + msg, file=sys.stderr)
        self.errors += 1

    def expect(self, name, value, what):
        self.seen.add(name)
        if name not in self.hval:
            self.err(f"{what}: {name} is not in the header")
        elif self.hval[name] != value:
            self.err(f"{what}: {name} is {self.hval[name]!r} in the header, "
                     f"{value!r} in the spec")
        elif self.verbose:
            print(f"ok {name} = {value!r}")

    def expect_enum(self, ename, names, what):
        if ename is None:
            return
        if ename not in self.henum:
            self.err(f"{what}: enum {ename} is not in the header")
            return
        hnames = [n for n in self.henum[ename] if not n.startswith("__")
                  and not n.endswith("_MAX") and not n.endswith("_UNSPEC")]
        if hnames != names:
            self.err(f"{what}: enum {ename} is {hnames} in the header, "
                     f"{names} in the spec")

    def unspec_and_max(self, prefix, count_name, max_name, what):
        unspec = prefix + "UNSPEC"
        if unspec in self.hval:
            self.expect(unspec, 0, what)
        for name in (count_name, max_name):
            self.seen.add(name)
            if name not in self.hval:
                self.err(f"{what}: {name} is not in the header")
        if count_name in self.hval and max_name in self.hval and \
           self.hval[max_name] != self.hval[count_name] - 1:
            self.err(f"{what}: {max_name} is not {count_name} - 1")

    def globals(self):
        self.expect(c_name(self.spec.get("c-family-name",
                                         self.family + "-family-name")),
                    self.family, "family name")
        self.expect(c_name(self.spec.get("c-version-name",
                                         self.family + "-family-version")),
                    self.spec.get("version", 1), "family version")
        for grp in self.spec.get("mcast-groups", {}).get("list", []):
            name = grp.get("c-define-name") or c_name(self.family, "mcgrp",
                                                     grp["name"])
            self.expect(c_name(name), grp["name"], "multicast group")

    def definitions(self):
        self.defs = {}
        for d in self.spec.get("definitions", []):
            self.defs[d["name"]] = d
            what = f"definition {d['name']}"
            if d["type"] == "const":
                self.expect(c_name(self.family, d["name"]), d["value"], what)
                continue
            prefix = d.get("name-prefix", f"{self.family}-{d['name']}-")
            start = d.get("value-start", 0)
            names = []
            for i, e in enumerate(d["entries"]):
                e = e if isinstance(e, dict) else {"name": e}
                pos = e.get("value", start + i)
                val = pos if d["type"] == "enum" else 1 << pos
                names.append(c_name(prefix, e["name"]))
                self.expect(names[-1], val, what)
            ename = d.get("enum-name", f"{self.family}-{d['name']}")
            self.expect_enum(ename and c_name(ename).lower(), names, what)

    def attribute_sets(self):
        self.sets = {s["name"]: s for s in self.spec["attribute-sets"]}
        for s in self.spec["attribute-sets"]:
            what = f"attribute set {s['name']}"
            if "subset-of" in s:
                if s["subset-of"] not in self.sets:
                    self.err(f"{what}: no set {s['subset-of']}")
                continue
            if s["name"] == self.family:
                dflt = f"{self.family}-a-"
            else:
                dflt = f"{self.family}-a-{s['name']}-"
            prefix = s.get("name-prefix", dflt)
            val, names = 1, []
            for a in s["attributes"]:
                val = a.get("value", val)
                name = c_name(prefix, a["name"])
                names.append(name)
                self.expect(name, val, what)
                self.attribute_refs(a, name, what)
                val += 1
            pfx = c_name(prefix) + "_"
            self.unspec_and_max(pfx, s.get("attr-cnt-name", "__" + pfx + "MAX"),
                                s.get("attr-max-name", pfx + "MAX"), what)
            if "enum-name" in s:
                self.expect_enum(c_name(s["enum-name"]).lower(), names, what)

    def attribute_refs(self, a, name, what):
        if a.get("enum") and a["enum"] not in self.defs:
            self.err(f"{what}: {a['name']} uses unknown enum {a['enum']}")
        if a.get("nested-attributes") and \
           a["nested-attributes"] not in self.sets:
            self.err(f"{what}: {a['name']} nests unknown set "
                     f"{a['nested-attributes']}")
        htype = self.htype.get(name)
        if htype is None:
            self.err(f"{what}: {name} has no kernel-doc type in the header")
        elif htype != a["type"]:
            self.err(f"{what}: {name} is {htype} in the header, "
                     f"{a['type']} in the spec")

    def operations(self):
        ops = self.spec["operations"]
        prefix = ops.get("name-prefix", f"{self.family}-cmd-")
        byname, names, val = {}, [], 1
        for op in ops["list"]:
            val = op.get("value", val)
            byname[op["name"]] = (op, val)
            val += 1
        for op in ops["list"]:
            val = byname[op["name"]][1]
            what = f"operation {op['name']}"
            if "notify" in op or "event" in op:
                self.notification(op, val, byname, what)
                # An event with no -ntf suffix is a command of its own,
                # one only the kernel sends (probe).
                if op["name"].endswith("-ntf"):
                    continue
            names.append(c_name(prefix, op["name"]))
            self.expect(names[-1], val, what)
            aset = self.sets.get(op.get("attribute-set"))
            if aset is None:
                self.err(f"{what}: unknown attribute-set")
                continue
            known = {a["name"] for a in aset["attributes"]}
            for mode in ("do", "dump"):
                for part in ("request", "reply"):
                    for attr in op.get(mode, {}).get(part, {}).get("attributes", []):
                        if attr not in known:
                            self.err(f"{what}: {mode} {part} has unknown "
                                     f"attribute {attr}")
        pfx = c_name(prefix) + "_"
        self.unspec_and_max(pfx, "__" + pfx + "MAX", pfx + "MAX", "operations")
        if "enum-name" in ops:
            self.expect_enum(c_name(ops["enum-name"]).lower(), names,
                             "operations")

    def notification(self, op, val, byname, what):
        # A notification shares its value with the command of the change.
        base = op["name"].removesuffix("-ntf")
        if base != op["name"] and (base not in byname or
                                   byname[base][1] != val or
                                   "notify" in byname[base][0]):
            self.err(f"{what}: value {val} is not that of a command {base}")
        target = byname.get(op.get("notify", ""), (None,))[0]
        if "notify" in op and (target is None or "reply" not in
                               target.get("do", {})):
            self.err(f"{what}: notify names no command with a do reply")
        mcgrps = {g["name"] for g in self.spec.get("mcast-groups", {}).get("list", [])}
        if op.get("mcgrp") not in mcgrps:
            self.err(f"{what}: unknown multicast group {op.get('mcgrp')}")

    def leftovers(self):
        for name in self.hval:
            if name not in self.seen:
                self.err(f"header: {name} is not described by the spec")

    def run(self):
        self.globals()
        self.definitions()
        self.attribute_sets()
        self.operations()
        self.leftovers()
        return self.errors


def validate_schema(spec, schema_path):
    import jsonschema

    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(spec))
    for e in errors:
        path = "/".join(str(p) for p in e.absolute_path)
        print(f"check-spec: schema: {path}: {e.message}", file=sys.stderr)
    return len(errors)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=os.path.join(
        TOP, "Documentation/netlink/specs/ipmp.yaml"))
    ap.add_argument("--header", default=os.path.join(
        TOP, "include/uapi/linux/ipmp.h"))
    ap.add_argument("--schema", help="genetlink-legacy.yaml to validate with")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    with open(args.spec) as f:
        spec = yaml.safe_load(f)
    with open(args.header) as f:
        header = parse_header(f.read())

    errors = Checker(spec, header, args.verbose).run()
    if args.schema:
        errors += validate_schema(spec, args.schema)
    if errors:
        print(f"check-spec: {errors} mismatch(es) between {args.spec} and "
              f"{args.header}", file=sys.stderr)
        return 1
    print("check-spec: spec and header agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
