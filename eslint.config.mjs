// ESLint (flat config), run by `npm test` (`npm run lint` in `verify`). Deliberately small: the
// rules check what review keeps missing, not style (prettier owns that). See docs/adr/0004.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The house: core ← loader ← (nx-plugin, cli, deployer) ← action. The CLI's `deploy` command
 * is the deployer's adapter, so cli → deployer is allowed; nothing else reaches across.
 */
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:loader', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:deployer', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['scope:core', 'scope:loader'] },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:core', 'scope:loader', 'scope:deployer'] },
  {
    sourceTag: 'scope:action',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:loader', 'scope:cli', 'scope:deployer'],
  },
  { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:core', 'scope:loader', 'scope:cli'] },
  { sourceTag: 'scope:test-support', onlyDependOnLibsWithTags: [] },
].map((c) =>
  // Tests of every package may say what they need (packages/test-support: describeRequiring).
  c.sourceTag === 'scope:test-support'
    ? c
    : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:test-support'] },
);

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      'environments/**',
      'packages/bench/results/**',
      'packages/*/src/**/test-fixtures/osa/**',
      'packages/cli/test/hostile/**',
    ],
  },
  {
    files: ['packages/**/*.ts', 'packages/**/*.mts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Tests read the example definitions (`environments/<site>/environment.ts`, each an
          // inferred site project) by path: they are fixtures, not a dependency of the package.
          allow: ['^(\\.\\./)+environments/'],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Private Node APIs in the bins (Module._compile, _nodeModulePaths): see no-private-node-api below.
    },
  },
];
