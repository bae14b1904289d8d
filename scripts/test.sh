#!/bin/sh
# npm test: the type check and the linters run beside jest rather than before it. Jest transpiles without type
# information (isolatedModules), and its workers mostly wait on Codex and the fake provider, which
# leaves CPU for tsc and ESLint. Three workers on two cores: every gateway has its own port (0), CODEX_HOME and
# process.env, so suites never share state (docs/architecture.md, "How we test").
# The type check and ESLint share one TypeScript program (scripts/check.mjs); Prettier runs beside them. Both run
# niced: jest is the longest job, and they finish well within it on the CPU its workers leave while they wait.
nice -n 10 node scripts/check.mjs &
typecheck=$!
nice -n 10 npx prettier --check --log-level warn . &
lint=$!
npx jest --config jest.config.js --selectProjects unit e2e --maxWorkers=3 "$@"
tests=$?
wait "$typecheck"
types=$?
wait "$lint"
linted=$?
[ "$types" -eq 0 ] || echo "npm test: the type check or ESLint failed (npm run typecheck, npm run lint)" >&2
[ "$linted" -eq 0 ] || echo "npm test: the format check failed (npm run format)" >&2
[ "$tests" -eq 0 ] && [ "$types" -eq 0 ] && [ "$linted" -eq 0 ]
