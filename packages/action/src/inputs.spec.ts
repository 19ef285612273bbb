import { describe, expect, it } from 'vitest';
import { parseConfig, type InputName } from './inputs.js';

const env = { GITHUB_WORKSPACE: '/ws', GITHUB_REPOSITORY: 'octo/sites', GITHUB_RUN_ID: '9' };

function config(inputs: Partial<Record<InputName, string>>, e: Record<string, string | undefined> = env) {
  return parseConfig((name) => inputs[name] ?? '', e);
}

describe('parseConfig', () => {
  it('applies defaults and resolves paths against the workspace', () => {
    expect(config({ mode: 'validate' })).toMatchObject({
      mode: 'validate',
      token: '',
      workingDirectory: '/ws',
      budget: 60_000,
      reportDir: '/ws/osa-gitops-report',
      botBranchPrefix: 'osa-gitops/render/',
      committer: { name: 'osa-gitops[bot]', email: 'osa-gitops[bot]@users.noreply.github.com' },
      github: {
        repository: 'octo/sites',
        apiUrl: 'https://api.github.com',
        serverUrl: 'https://github.com',
        runId: '9',
      },
    });
  });

  it('reads explicit values', () => {
    const c = config(
      {
        mode: 'deploy-plan',
        'working-directory': 'infra',
        budget: '5000',
        sites: 'a, b',
        'base-ref': 'main',
      },
      { ...env, GITHUB_API_URL: 'https://ghe.example/api/v3' },
    );
    expect(c).toMatchObject({
      workingDirectory: '/ws/infra',
      budget: 5000,
      sites: ['a', 'b'],
      baseRef: 'main',
    });
    expect(c.github.apiUrl).toBe('https://ghe.example/api/v3');
    expect(config({ mode: 'deploy-plan', sites: 'all' }).sites).toBe('all');
  });

  it('reports every bad input by name, never echoing values', () => {
    const secret = 'ghp_pastedIntoTheWrongInput_1234567890';
    expect(() =>
      config({
        mode: 'plan',
        budget: '70000',
        'base-ref': `--upload-pack=${secret}`,
        'committer-email': secret,
      }),
    ).toThrow(
      [
        "Input 'mode' must be one of validate, render, publish, propose, deploy-plan, runner-plan, comment, preview-plan, preview-comment, drift-issues, revert-pr.",
        'Input \'base-ref\' must be a branch, tag or commit id (no spaces, no leading "-").',
        "Input 'budget' must be a whole number from 1000 to 65536 (GitHub's comment limit is 65536).",
        "Input 'committer-email' must be an e-mail address.",
      ].join('\n'),
    );
    try {
      config({ mode: 'x', 'committer-email': secret });
    } catch (err) {
      expect(String(err)).not.toContain(secret);
    }
  });

  it('requires a token and a repository where the GitHub API is used', () => {
    expect(() => config({ mode: 'propose' })).toThrow("Input 'token' is required for mode 'propose'.");
    expect(() => config({ mode: 'comment', token: 't' }, { GITHUB_WORKSPACE: '/ws' })).toThrow(
      "GITHUB_REPOSITORY must be set to owner/name for mode 'comment'.",
    );
    expect(() => config({ mode: 'publish' })).toThrow("Input 'token' is required for mode 'publish'.");
    expect(config({ mode: 'validate' }).token).toBe('');
  });

  it('reads the render/publish and comment-author inputs', () => {
    expect(config({ mode: 'render' })).toMatchObject({
      renderDir: '/ws/osa-gitops-render',
      commentAuthor: 'github-actions[bot]',
    });
    expect(config({ mode: 'render' }).sourceSha).toBeUndefined();
    const sha = 'a'.repeat(40);
    expect(
      config({
        mode: 'publish',
        token: 't',
        'source-sha': sha,
        'render-dir': '/tmp/r',
        'comment-author': 'my-app[bot]',
      }),
    ).toMatchObject({ sourceSha: sha, renderDir: '/tmp/r', commentAuthor: 'my-app[bot]' });
    expect(() => config({ mode: 'publish', token: 't', 'source-sha': 'main' })).toThrow(
      "Input 'source-sha' must be a full commit id (40 or 64 lowercase hex digits).",
    );
    expect(() => config({ mode: 'comment', token: 't', 'comment-author': 'a b' })).toThrow(
      "Input 'comment-author' must be a GitHub login (e.g. github-actions[bot]).",
    );
  });
});
