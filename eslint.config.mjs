// ESLint (flat config), run by `npm test` (`npm run lint` in `verify`). Deliberately small: the
// rules check what review keeps missing, not style (prettier owns that). See docs/adr/0004, 0009 and 0012.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The house (ADR 0012): core ← rules ← render ← report are the pure layers (vocabulary; what is
 * rejected; what is emitted and expected on hosts; how a change is described). import sits beside
 * them (its product code needs only core; its round-trip tests validate and render what it
 * adopts). core ← loader ← (nx-plugin, cli, deployer) ← action; each edge package gets only the
 * pure layers it imports. The CLI's `deploy` command is the deployer's adapter, so cli → deployer
 * is allowed. `git` (the one git wrapper) depends on nothing of ours; the CLI and the action use it.
 */
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:rules', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:render', onlyDependOnLibsWithTags: ['scope:core', 'scope:rules'] },
  { sourceTag: 'scope:report', onlyDependOnLibsWithTags: ['scope:core', 'scope:rules', 'scope:render'] },
  { sourceTag: 'scope:git', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:import', onlyDependOnLibsWithTags: ['scope:core', 'scope:rules', 'scope:render'] },
  {
    sourceTag: 'scope:loader',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:rules', 'scope:render', 'scope:import'],
  },
  {
    sourceTag: 'scope:deployer',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:rules', 'scope:render', 'scope:report'],
  },
  {
    sourceTag: 'scope:plugin',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:render', 'scope:import', 'scope:loader'],
  },
  {
    sourceTag: 'scope:cli',
    onlyDependOnLibsWithTags: [
      'scope:core',
      'scope:rules',
      'scope:render',
      'scope:report',
      'scope:import',
      'scope:loader',
      'scope:deployer',
      'scope:git',
    ],
  },
  {
    sourceTag: 'scope:action',
    onlyDependOnLibsWithTags: [
      'scope:core',
      'scope:render',
      'scope:report',
      'scope:loader',
      'scope:cli',
      'scope:deployer',
      'scope:git',
    ],
  },
  {
    sourceTag: 'scope:bench',
    onlyDependOnLibsWithTags: [
      'scope:core',
      'scope:rules',
      'scope:render',
      'scope:report',
      'scope:loader',
      'scope:cli',
      'scope:twin',
    ],
  },
  {
    // The site twin (tests, the lab and the bench): the real daemons in namespaces, driven through
    // the deployer's stand-in OSA checkout.
    sourceTag: 'scope:twin',
    onlyDependOnLibsWithTags: ['scope:core', 'scope:rules', 'scope:render', 'scope:deployer'],
  },
  { sourceTag: 'scope:test-support', onlyDependOnLibsWithTags: [] },
].map((c) =>
  // Tests of every package may say what they need (packages/test-support: describeRequiring).
  c.sourceTag === 'scope:test-support'
    ? c
    : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:test-support'] },
);

/**
 * Node's private module internals (`Module._compile`, `Module._nodeModulePaths`, `_load`,
 * `_resolveFilename`) and `process.binding` are undocumented and change between Node releases;
 * a bin that leans on them breaks on a Node upgrade with no deprecation cycle. Public APIs
 * (`vm`, `module.createRequire`, `module.register`) do the same jobs. Written as syntax
 * selectors too, so `Module['_compile']` and `const { _compile } = Module` are caught.
 */
const PRIVATE_NODE_API = '^(_compile|_nodeModulePaths|_load|_resolveFilename|_extensions|_cache|_pathCache)$';
const privateNodeApiMessage =
  'Private Node API: use public ones (vm, module.createRequire, module.register). See eslint.config.mjs.';
const noPrivateNodeApi = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'binding', message: privateNodeApiMessage },
    { object: 'process', property: '_linkedBinding', message: privateNodeApiMessage },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: `MemberExpression > Identifier.property[name=/${PRIVATE_NODE_API}/]`,
      message: privateNodeApiMessage,
    },
    {
      selector: `MemberExpression > Literal.property[value=/${PRIVATE_NODE_API}/]`,
      message: privateNodeApiMessage,
    },
    {
      selector: `ObjectPattern > Property > Identifier.key[name=/${PRIVATE_NODE_API}/]`,
      message: privateNodeApiMessage,
    },
  ],
};

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
      ...noPrivateNodeApi,
    },
  },
  {
    // The bins and any other plain JavaScript of the packages.
    files: ['packages/**/*.cjs', 'packages/**/*.js', 'packages/**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: noPrivateNodeApi,
  },
  {
    files: ['packages/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
];
