#!/bin/sh
# npm test: the type check runs beside jest rather than before it. Jest transpiles without type
# information (isolatedModules), and its workers mostly wait on Codex and the fake provider, which
# leaves CPU for tsc. Three workers on two cores: every gateway has its own port (0), CODEX_HOME and
# process.env, so suites never share state (docs/architecture.md, "How we test").
npx tsc -p tsconfig.json --noEmit &
typecheck=$!
npx jest --config jest.config.js --selectProjects unit e2e --maxWorkers=3 "$@"
tests=$?
wait "$typecheck"
types=$?
[ "$types" -eq 0 ] || echo "npm test: the type check failed" >&2
[ "$tests" -eq 0 ] && [ "$types" -eq 0 ]
