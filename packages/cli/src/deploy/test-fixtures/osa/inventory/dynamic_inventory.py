#!/usr/bin/env python3
"""Stand-in for OSA's inventory/dynamic_inventory.py, `--config DIR --check` only.

Prints "Configuration ok!" (rc 0) unless DIR/openstack_user_config.yml contains the word
INVENTORY_REJECTS_THIS, in which case it fails like the real generator does (message on stderr,
rc 1). Appends the files it saw to $OSA_TEST_INVENTORY_RECORD, so tests can check it ran on a
copy of the config dir as it will be after the sync.
"""
import os
import sys

args = sys.argv[1:]
if "--check" not in args or "--config" not in args:
    sys.exit("stand-in supports only --config DIR --check")
config = args[args.index("--config") + 1]
with open(os.path.join(config, "openstack_user_config.yml")) as f:
    user_config = f.read()
record = os.environ.get("OSA_TEST_INVENTORY_RECORD")
if record:
    with open(record, "a") as out:
        for root, _dirs, files in os.walk(config):
            for name in sorted(files):
                out.write(os.path.relpath(os.path.join(root, name), config) + "\n")
        out.write("config=" + config + "\n")
if "INVENTORY_REJECTS_THIS" in user_config:
    sys.exit("can't find public_apix in cidr_networks")
print("Configuration ok!")
