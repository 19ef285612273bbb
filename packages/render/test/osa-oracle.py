#!/usr/bin/python3
"""Deterministic oracle: run OpenStack-Ansible's own inventory generator on a rendered tree.

Our own wrapper (docs/osa-facts.md#oracle), not OSA code. It seeds `random` and replaces `uuid.uuid4`
so addresses and container names repeat from run to run, works on a throwaway copy (the
generator writes openstack_inventory.json into its config dir) and refuses to run when
/etc/openstack_deploy exists (the generator silently falls back to it, docs/osa-facts.md#config-search).

Usage: OSA_INVENTORY_SRC=<extracted openstack-ansible> /usr/bin/python3 osa-oracle.py TREE [--check]
SystemExit and exceptions propagate with rc 1, as with OSA's own dynamic_inventory.py.
"""
import os
import random
import shutil
import sys
import tempfile
import uuid

if len(sys.argv) < 2:
    sys.exit('usage: osa-oracle.py TREE [--check]')
src = os.environ.get('OSA_INVENTORY_SRC', '')
if not os.path.isfile(os.path.join(src, 'osa_toolkit', 'generate.py')):
    sys.exit('refusing: OSA_INVENTORY_SRC does not contain osa_toolkit/generate.py')
if os.path.exists('/etc/openstack_deploy'):
    sys.exit('refusing: /etc/openstack_deploy exists')
sys.path.insert(0, src)
from osa_toolkit import generate  # noqa: E402

tmp = tempfile.mkdtemp()
work = os.path.join(tmp, 'deploy')
shutil.copytree(sys.argv[1], work, ignore=shutil.ignore_patterns('openstack_inventory.json', '*.tar'))
random.seed(int(os.environ.get('OSA_ORACLE_SEED', '0')))
uuid.uuid4 = lambda: uuid.UUID(int=random.getrandbits(128), version=4)
try:
    print(generate.generate(config=work, check='--check' in sys.argv[2:], debug=False,
                            environment=os.path.join(src, 'inventory')))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
