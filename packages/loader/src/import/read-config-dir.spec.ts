import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfigDir } from './read-config-dir';

// Issue 26, item 4: a `user_zz.yml` linked to a secret file had its contents printed by import as
// an unmodelled variable. No link inside the config dir is followed where import reads.
describe('readConfigDir and symbolic links', () => {
  let root: string;
  let dir: string;
  const secret = (): string => path.join(root, 'secret.txt');
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'osa-read-config-')));
    dir = path.join(root, 'openstack_deploy');
    fs.mkdirSync(path.join(dir, 'conf.d'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'group_vars', 'haproxy'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'openstack_user_config.yml'), 'cidr_networks: {}\n');
    fs.writeFileSync(secret(), 'top secret: hunter2\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const refuses = (rel: string): void => {
    expect(() => readConfigDir(dir)).toThrow(`${rel}: is a symbolic link; import follows no link`);
    try {
      readConfigDir(dir);
    } catch (err) {
      expect(String(err)).not.toContain('hunter2');
      expect(String(err)).not.toContain('top secret');
    }
  };

  it.each([
    'user_zz.yml',
    'openstack_user_config.yml',
    'conf.d/extra.yml',
    'group_vars/haproxy/x.yml',
    'group_vars/all.yml',
    'host_vars/infra1.yml',
  ])('refuses %s as a link to a file outside, naming it and nothing of the target', (rel) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.rmSync(path.join(dir, rel), { force: true });
    fs.symlinkSync(secret(), path.join(dir, rel));
    refuses(rel);
  });

  it('refuses a linked folder it would walk, and a dangling link where it reads', () => {
    fs.rmSync(path.join(dir, 'conf.d'), { recursive: true });
    fs.symlinkSync(root, path.join(dir, 'conf.d'));
    refuses('conf.d');
    fs.rmSync(path.join(dir, 'conf.d'));
    fs.symlinkSync(path.join(root, 'nowhere.yml'), path.join(dir, 'user_gone.yml'));
    refuses('user_gone.yml');
  });

  it('ignores links where import does not read, and reads the config dir named through a link', () => {
    fs.symlinkSync(secret(), path.join(dir, 'openstack_inventory.json'));
    fs.symlinkSync(secret(), path.join(dir, 'notes.txt'));
    const via = path.join(root, 'link-to-dir');
    fs.symlinkSync(dir, via);
    expect(readConfigDir(via).map((f) => f.path)).toEqual(['openstack_user_config.yml']);
  });
});
