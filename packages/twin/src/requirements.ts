import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { executable, pythonModules, source, type Requirement } from '@osa-gitops/test-support/requirement';
import { upstreamFromEnv, upstreamMissing } from './role-config';

/** The Python that runs ansible-playbook (its shebang's): json_query needs jmespath there. */
function ansiblePython(): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' });
  const bin = found.status === 0 ? found.stdout.trim() : '';
  if (bin === '' || !existsSync(bin)) return 'python3';
  return /^#!\s*(\S+)/.exec(readFileSync(bin, 'utf8').split('\n', 1)[0]!)?.[1] ?? 'python3';
}

/**
 * What the twin needs, sources first (without the pinned upstream roles it skips everywhere, a
 * fresh clone stays green), then root and the tools `.ci/run` installs (missing under CI=true:
 * the tests fail instead of skipping).
 */
export function twinRequirements(): Requirement[] {
  const missing = upstreamMissing(upstreamFromEnv());
  return [
    source(
      'the pinned upstream roles',
      `${missing ?? ''}: .ci/run sources the pinned upstream's env.sh`,
      () => missing === undefined,
    ),
    {
      kind: 'tool',
      name: 'root',
      hint: 'network namespaces need root (CI runs as root)',
      present: () => process.platform === 'linux' && process.getuid?.() === 0,
    },
    executable('ip', 'Debian iproute2'),
    executable('keepalived', "Debian's keepalived (.ci/run installs it)"),
    executable('haproxy', "Debian's haproxy (.ci/run installs it)"),
    executable('openssl', 'Debian openssl'),
    executable('ping', 'Debian iputils-ping'),
    executable('ansible-playbook', 'Debian ansible-core (.ci/run installs it)'),
    pythonModules(ansiblePython(), ['jmespath'], "Debian's python3-jmespath, for json_query"),
  ];
}
