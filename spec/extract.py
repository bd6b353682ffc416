#!/usr/bin/env python3
"""Extract the machine-readable facts of Tencent Cloud API specs shipped in tccli.

    python3 spec/extract.py [TCCLI_PACKAGE_DIR] [--out DIR]

TCCLI_PACKAGE_DIR is an installed tccli package directory (the one holding
__init__.py and services/); without it, the tccli importable by this Python is
used. For each service in SERVICES the newest vYYYYMMDD directory is read and
DIR/<service>.json is written (DIR defaults to this script's directory).

Only facts are kept: names, types, flags and statuses. Every description and
example text of the source (documentation we do not own) is dropped; the
output is checked to be pure ASCII so that no prose can slip through.

The output is deterministic: actions and objects sorted by name, fields in
the source's order, keys of every action and field record sorted, a fixed
layout. The same tccli version always yields byte-identical files.

Standard library only.
"""

import argparse
import json
import os
import re
import sys

SERVICES = ("cvm", "vpc", "cbs")

KNOWN_TYPES = {"string", "int", "float", "bool", "list", "object"}
PRIMITIVE_MEMBERS = {
    "string", "int64", "uint64", "float", "bool",
    "datetime", "datetime_iso", "date",
}

# Source keys -> output keys. A flag appears in the output exactly when the
# source has it (RequestId, for one, carries no flag at all), so that "absent"
# is never turned into "false".
FIELD_FLAGS = {
    "required": "required",
    "output_required": "output_required",
    "value_allowed_null": "nullable",
    "disabled": "deprecated",
}
# Source keys that are dropped on purpose (prose, or sample text).
DROPPED_FIELD_KEYS = {"document", "example"}
DROPPED_OBJECT_KEYS = {"document", "type"}  # "type" is always "object"
DROPPED_ACTION_KEYS = {"document", "name"}  # "name" is a Chinese title

VERSION_DIR = re.compile(r"^v(\d{4})(\d{2})(\d{2})$")


def warn(msg):
    print("warning: " + msg, file=sys.stderr)


def find_tccli():
    try:
        import tccli  # noqa: F401  (only its location is used)
    except ImportError:
        sys.exit("tccli is not importable here: pip install tccli, "
                 "or pass the package directory")
    return os.path.dirname(os.path.abspath(tccli.__file__))


def tccli_version(pkg):
    with open(os.path.join(pkg, "__init__.py"), encoding="utf-8") as f:
        m = re.search(r"""__version__\s*=\s*['"]([^'"]+)['"]""", f.read())
    if not m:
        sys.exit("no __version__ in %s/__init__.py" % pkg)
    return m.group(1)


def latest_version_dir(pkg, service):
    base = os.path.join(pkg, "services", service)
    if not os.path.isdir(base):
        sys.exit("no services/%s in %s" % (service, pkg))
    dirs = sorted(d for d in os.listdir(base)
                  if VERSION_DIR.match(d)
                  and os.path.isfile(os.path.join(base, d, "api.json")))
    if not dirs:
        sys.exit("no v<date>/api.json under %s" % base)
    return dirs[-1]


def check_keys(what, entry, known):
    extra = sorted(set(entry) - known)
    if extra:
        warn("%s: keys not extracted: %s" % (what, ", ".join(extra)))


def extract(pkg, service, tag):
    vdir = latest_version_dir(pkg, service)
    rel = "services/%s/%s/api.json" % (service, vdir)
    with open(os.path.join(pkg, rel), encoding="utf-8") as f:
        api = json.load(f)
    check_keys(rel, api, {"actions", "objects", "metadata", "version"})

    y, m, d = VERSION_DIR.match(vdir).groups()
    version = "%s-%s-%s" % (y, m, d)
    meta = api.get("metadata", {})
    if meta.get("apiVersion", version) != version:
        warn("%s: metadata.apiVersion %r, directory says %s"
             % (rel, meta.get("apiVersion"), version))
    if meta.get("serviceShortName", service) != service:
        warn("%s: metadata.serviceShortName %r"
             % (rel, meta.get("serviceShortName")))

    src_objects = api["objects"]

    actions = []
    for name in sorted(api["actions"]):
        a = api["actions"][name]
        check_keys("action " + name, a,
                   DROPPED_ACTION_KEYS | {"input", "output", "status"})
        rec = {"name": name, "input": a["input"], "output": a["output"]}
        if "status" in a:
            rec["status"] = a["status"]
        for side in ("input", "output"):
            if a[side] not in src_objects:
                warn("action %s: %s object %s is not defined"
                     % (name, side, a[side]))
        actions.append(rec)

    objects = []
    for name in sorted(src_objects):
        o = src_objects[name]
        check_keys("object " + name, o,
                   DROPPED_OBJECT_KEYS | {"members", "usage"})
        fields = []
        for fld in o.get("members", []):
            where = "%s.%s" % (name, fld.get("name"))
            check_keys(where, fld, DROPPED_FIELD_KEYS | set(FIELD_FLAGS)
                       | {"name", "type", "member"})
            rec = {"name": fld["name"], "type": fld["type"],
                   "member": fld["member"]}
            if fld["type"] not in KNOWN_TYPES:
                warn("%s: unknown type %r" % (where, fld["type"]))
            if (fld["member"] not in PRIMITIVE_MEMBERS
                    and fld["member"] not in src_objects):
                warn("%s: member %r is neither primitive nor an object"
                     % (where, fld["member"]))
            for src_key, out_key in FIELD_FLAGS.items():
                if src_key in fld:
                    if not isinstance(fld[src_key], bool):
                        warn("%s: %s is not a bool" % (where, src_key))
                    rec[out_key] = fld[src_key]
            fields.append(rec)
        obj = {"name": name}
        if "usage" in o:
            obj["usage"] = o["usage"]
        obj["fields"] = fields
        objects.append(obj)

    return {
        "service": service,
        "version": version,
        "source": "tccli %s %s" % (tag, rel),
        "actions": actions,
        "objects": objects,
    }


def dump(rec):
    # ensure_ascii=False so that non-ASCII text stays visible to render()'s
    # check instead of being hidden in \u escapes.
    return json.dumps(rec, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def render(spec):
    """Fixed layout: one action per line, one field per line."""
    out = ["{"]
    for key in ("service", "version", "source"):
        out.append(" %s:%s," % (dump(key), dump(spec[key])))
    out.append(' "actions":[')
    acts = spec["actions"]
    for i, a in enumerate(acts):
        out.append("  " + dump(a) + ("," if i + 1 < len(acts) else ""))
    out.append(" ],")
    out.append(' "objects":[')
    objs = spec["objects"]
    for i, o in enumerate(objs):
        head = "  {%s:%s," % (dump("name"), dump(o["name"]))
        if "usage" in o:
            head += "%s:%s," % (dump("usage"), dump(o["usage"]))
        tail = "]}" + ("," if i + 1 < len(objs) else "")
        if not o["fields"]:
            out.append(head + '"fields":[' + tail)
            continue
        out.append(head + '"fields":[')
        fs = o["fields"]
        for j, f in enumerate(fs):
            out.append("   " + dump(f) + ("," if j + 1 < len(fs) else ""))
        out.append("  " + tail)
    out.append(" ]")
    out.append("}")
    text = "\n".join(out) + "\n"
    # The layout must still be plain JSON holding exactly `spec`.
    if json.loads(text) != spec:
        sys.exit("internal error: the layout changed the JSON")
    # Names, types and flags are ASCII; anything else would be prose.
    bad = sorted({ch for ch in text if ord(ch) > 127})
    if bad:
        sys.exit("%s: non-ASCII text in the output (%s): refusing to write"
                 % (spec["service"], "".join(bad[:10])))
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tccli_dir", nargs="?",
                    help="installed tccli package directory "
                         "(default: the importable tccli)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output directory (default: this script's)")
    args = ap.parse_args()

    pkg = os.path.abspath(args.tccli_dir) if args.tccli_dir else find_tccli()
    tag = tccli_version(pkg)
    print("tccli %s at %s" % (tag, pkg))
    os.makedirs(args.out, exist_ok=True)
    for service in SERVICES:
        spec = extract(pkg, service, tag)
        path = os.path.join(args.out, service + ".json")
        text = render(spec)  # checked before anything is written
        with open(path, "w", encoding="ascii", newline="\n") as f:
            f.write(text)
        objs = spec["objects"]
        inputs = {a["input"] for a in spec["actions"]}
        outputs = {a["output"] for a in spec["actions"]}
        n_req = sum(1 for o in objs if o["name"] in inputs)
        n_resp = sum(1 for o in objs if o["name"] in outputs)
        print("%s %s: %d actions, %d objects (%d requests, %d responses, "
              "%d data types), %d fields -> %s"
              % (service, spec["version"], len(spec["actions"]), len(objs),
                 n_req, n_resp, len(objs) - n_req - n_resp,
                 sum(len(o["fields"]) for o in objs), path))


if __name__ == "__main__":
    main()
