#!/usr/bin/env python3
"""Parses every emulated reply with the official SDK's models.

Reads the replies `cargo test -p cvm-sim --test reply_shapes` writes to $CVM_REPLY_DUMP (one
per emulated action), and for each runs `models.<Action>Response()._deserialize(reply)` from
tencentcloud-sdk-python-cvm. An action passes when deserializing raises nothing and the SDK
knows every member of the reply (the SDK warns about, and drops, members it does not know).
Usage: reply_models.py DUMP.json   (run.sh --replies does it all)
"""
import json
import sys
import warnings

from tencentcloud.cvm.v20170312 import models


def main():
    replies = json.load(open(sys.argv[1]))
    failed = []
    for action, reply in sorted(replies.items()):
        cls = getattr(models, action + "Response", None)
        if cls is None:
            failed.append((action, "no SDK model"))
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                cls()._deserialize(reply)
            except Exception as e:  # any failure to deserialize counts
                failed.append((action, repr(e)))
                continue
        unknown = [str(w.message) for w in caught if "fileds are useless" in str(w.message) or "useless" in str(w.message)]
        if unknown:
            failed.append((action, "; ".join(unknown)))
    for action, why in failed:
        print(f"FAIL {action}: {why}")
    print(f"{len(replies) - len(failed)}/{len(replies)} replies parse with the official SDK's models")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
