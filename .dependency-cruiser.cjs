/**
 * The layer rules (docs/architecture.md §2), checked by `test/dependency-rules.e2e-spec.ts` on every `npm test`.
 * Features are the HTTP routes; shared code sits below them; the engine (src/codex) sits below that and
 * knows only config and util; util knows nothing.
 */
const FEATURES = '(chat|responses|models|usage|health|metrics)';
const SHARED = '(common|openai|policy|catalog|images|redis|lifecycle|logging|config|util|codex)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-imports-feature',
      comment: 'A feature never imports another feature: what two features share moves down into shared code.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/`, pathNot: '^src/$1/' },
    },
    {
      name: 'shared-imports-feature',
      comment:
        'Shared code (common, openai, policy, catalog, images, config, util, the engine, …) never imports a feature.',
      severity: 'error',
      from: { path: `^src/${SHARED}/` },
      to: { path: `^src/${FEATURES}/` },
    },
    {
      name: 'engine-knows-no-http',
      comment: 'src/codex imports only itself, config and util: no OpenAI errors, DTOs or request policy.',
      severity: 'error',
      from: { path: '^src/codex/' },
      to: { path: '^src/', pathNot: '^src/(codex|config|util)/' },
    },
    {
      name: 'util-is-a-leaf',
      comment: 'src/util holds generic helpers that import nothing from the gateway.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/util/' },
    },
    {
      name: 'config-imports-only-util',
      comment: 'Config is validated once at boot and sits under everything; it depends on nothing but util.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|util)/' },
    },
    {
      name: 'one-spawner',
      comment: 'Only src/codex/codex-process.runner.ts starts processes; others may import child_process types only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/codex/codex-process\\.runner\\.ts$' },
      to: { path: '^(node:)?child_process$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'generated-protocol-via-protocol-module',
      comment: 'The generated app-server types are reached through src/codex/protocol/app-server.protocol.ts only.',
      severity: 'error',
      from: { pathNot: '^src/codex/protocol/(app-server\\.protocol\\.ts$|generated/)' },
      to: { path: '^src/codex/protocol/generated/' },
    },
    {
      name: 'no-circular',
      comment: 'Files form a DAG.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: ['node_modules', '^src/codex/protocol/generated/'] },
    exclude: { path: ['node_modules'] },
    moduleSystems: ['cjs', 'es6'],
  },
};
