import type { Issue } from '@osa-gitops/core';
import { describe, expect, it } from 'vitest';
import type { SourceReader } from '../source-reader';
import { locateIssues } from './locate-issues';

/** A SourceReader over in-memory files (workspace-relative POSIX paths). */
function memoryReader(files: Record<string, string>): SourceReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile: (p) => {
      reads.push(p);
      return files[p];
    },
    isFile: (p) => p in files,
    children: () => [],
  };
}

const SHARED = `export const base = {
  managementBridge: 'br-mgmt',
  deploy: { runnerLabel: 'r', configDir: '/etc/openstack_deploy' },
  hostNetworking: {
    bond: { name: 'bond0', miiMonitor: '100' },
  },
};
export default base;
`;

const SITE = `import { defineEnvironment } from '@osa-gitops/core';
import { base } from '../_shared/base';

const vips = { external: '203.0.113.200', internal: '10.0.0.9' };

export default defineEnvironment({
  ...base,
  name: 'lab',
  networks: { container: '10.0.0.0/22', 'public-api': '203.0.113.128/28' },
  providerNetworks: [
    { bridge: 'br-mgmt', type: 'raw', groupBinds: ['all_containers'] },
    {
      bridge: 'br-public',
      type: 'raw',
      gatway: '203.0.113.129',
    },
  ],
  hosts: {
    infra1: { ip: '10.0.0.11', groups: ['haproxy_hosts'] },
  },
  haproxy: {
    vips,
    publicNetwork: { cidrName: 'public_api' },
  },
  deploy: { ...base.deploy, runnerLabel: 'lab' },
});
`;

const FILE = 'environments/lab/environment.ts';
const files = { [FILE]: SITE, 'environments/_shared/base.ts': SHARED };

function issue(path: (string | number)[]): Issue {
  return { code: 'SCHEMA_INVALID', severity: 'error', site: 'lab', path, message: 'x', file: FILE };
}

async function where(path: (string | number)[]) {
  const [i] = await locateIssues([issue(path)], memoryReader(files));
  return i && { file: i.file, line: i.line, column: i.column };
}

describe('locateIssues', { timeout: 60_000 }, () => {
  it('finds a property, a quoted key and an array element in the definition', async () => {
    expect(await where(['name'])).toEqual({ file: FILE, line: 8, column: 3 });
    expect(await where(['networks', 'public-api'])).toEqual({ file: FILE, line: 9, column: 41 });
    expect(await where(['providerNetworks', 1, 'gatway'])).toEqual({ file: FILE, line: 15, column: 7 });
    expect(await where(['providerNetworks', 0])).toEqual({ file: FILE, line: 11, column: 5 });
  });

  it('follows a local constant and stops at the nearest enclosing property for a missing key', async () => {
    expect(await where(['haproxy', 'vips', 'external'])).toEqual({ file: FILE, line: 4, column: 16 });
    // publicNetwork has no gateway: the issue lands on publicNetwork itself.
    expect(await where(['haproxy', 'publicNetwork', 'gateway'])).toEqual({ file: FILE, line: 23, column: 5 });
    expect(await where(['hosts', 'infra9', 'ip'])).toEqual({ file: FILE, line: 18, column: 3 });
  });

  it('follows spreads into the shared base, where the key is written', async () => {
    expect(await where(['hostNetworking', 'bond', 'miiMonitor'])).toEqual({
      file: 'environments/_shared/base.ts',
      line: 5,
      column: 28,
    });
    expect(await where(['managementBridge'])).toEqual({
      file: 'environments/_shared/base.ts',
      line: 2,
      column: 3,
    });
    // A key written after the spread wins over the base's.
    expect(await where(['deploy', 'runnerLabel'])).toEqual({ file: FILE, line: 25, column: 29 });
    expect(await where(['deploy', 'configDir'])).toEqual({
      file: 'environments/_shared/base.ts',
      line: 3,
      column: 31,
    });
  });

  it('points at the default export for an issue on the whole definition', async () => {
    expect(await where([])).toEqual({ file: FILE, line: 6, column: 34 });
  });

  it('reads no source and loads no compiler when nothing needs a location', async () => {
    const reader = memoryReader(files);
    const located: Issue = { ...issue(['name']), line: 3, column: 1 };
    const fleet: Issue = { code: 'SCHEMA_INVALID', severity: 'error', site: '*', path: [], message: 'x' };
    expect(await locateIssues([located, fleet], reader)).toEqual([located, fleet]);
    expect(reader.reads).toEqual([]);
  });

  it('leaves an issue alone when the file cannot be read or has no default export', async () => {
    const reader = memoryReader({ [FILE]: 'export const x = 1;\n' });
    const [i] = await locateIssues([issue(['name'])], reader);
    expect(i!.line).toBeUndefined();
    const [j] = await locateIssues(
      [{ ...issue(['name']), file: 'environments/none/environment.ts' }],
      reader,
    );
    expect(j!.line).toBeUndefined();
  });
});
