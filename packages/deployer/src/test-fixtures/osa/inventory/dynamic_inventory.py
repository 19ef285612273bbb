#!/usr/bin/env python3
"""Stand-in for OSA's inventory/dynamic_inventory.py, `--config DIR --check` only.

Prints "Configuration ok!" (rc 0) unless DIR/openstack_user_config.yml contains the word
INVENTORY_REJECTS_THIS, in which case it fails like the real generator does (message on stderr,
rc 1). Appends the files it saw to $OSA_TEST_INVENTORY_RECORD, so tests can check it ran on a
copy of the config dir as it will be after the sync, and where it would have read conf.d, env.d
and openstack_inventory.json from: like the real generator (docs/osa-facts.md#config-search), the first of
DIR/<name> and the fallback dir (/etc/openstack_deploy, or $OSA_TEST_FALLBACK_CONFIG_DIR) that
exists ("from <name>=config|fallback|none"). It reads nothing from the fallback dir.
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
        fallback = os.environ.get("OSA_TEST_FALLBACK_CONFIG_DIR", "/etc/openstack_deploy")
        for name in ("conf.d", "env.d", "openstack_inventory.json"):
            if os.path.exists(os.path.join(config, name)):
                source = "config"
            elif os.path.exists(os.path.join(fallback, name)):
                source = "fallback"
            else:
                source = "none"
            out.write("from " + name + "=" + source + "\n")
if "INVENTORY_REJECTS_THIS" in user_config:
    sys.exit("can't find public_apix in cidr_networks")
print("Configuration ok!")
