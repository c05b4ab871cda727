// The layout's dependency rule, checked in CI (`npm run lint:deps`). Dependencies point one way:
// main -> daemon -> engine -> core. The adapters (store, alert, hooks, http, config) implement
// ports that core and engine declare and never import each other; shared kits import only core.
// See docs/development.md.
/** Folders of src/ that a folder may import, besides itself and platform/. */
const allowed = {
  core: [],
  platform: ['core'],
  'schema-kit': ['core'],
  engine: ['core', 'config'],
  config: ['core', 'schema-kit', 'hooks'],
  hooks: ['core', 'schema-kit'],
  store: ['core', 'engine'],
  alert: ['core', 'engine'],
  http: ['core', 'engine'],
  'job-client': ['core'],
};

const folders = Object.keys(allowed);
const rules = folders.map((from) => {
  const ok = [from, 'platform', ...allowed[from]];
  return {
    name: `${from}-imports`,
    comment: `src/${from} may import only ${ok.map((f) => `src/${f}`).join(', ')}`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: '^src/', pathNot: `^src/(${ok.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...rules,
    {
      name: 'adapters-use-engine-ports',
      comment:
        'store, alert and http reach the engine only through the ports it declares (ports.ts, intake.ts, read-model.ts)',
      severity: 'error',
      from: { path: '^src/(store|alert|http)/' },
      to: { path: '^src/engine/', pathNot: '^src/engine/(ports|intake|read-model)\\.ts$' },
    },
    {
      name: 'engine-reads-config-types-only',
      comment: 'the engine uses the validated config, never the loader',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/config/', pathNot: '^src/config/types\\.ts$' },
    },
    {
      name: 'core-is-pure',
      comment: 'src/core is pure: no node:* module and no package but croner (schedule.ts)',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypesNot: ['local', 'type-only'], pathNot: '(^|/)node_modules/croner/' },
    },
    {
      name: 'only-schedule-imports-croner',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/core/schedule\\.ts$' },
      to: { path: '(^|/)node_modules/croner/' },
    },
    {
      name: 'platform-is-plumbing',
      comment: 'src/platform imports only core (and node:*)',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/(platform|core)/' },
    },
    {
      name: 'only-main-imports-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts|cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'nothing-imports-main-or-daemon',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts|cli/)' },
      to: { path: '^src/(main|daemon)\\.ts$' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
