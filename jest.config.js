/**
 * Three projects: fast unit specs next to the code, e2e specs in test/ that boot the real stack with Node alone,
 * and integration specs in test/integration/ that also need system services (nginx, redis-server).
 * `npm test` runs the first two; `npm run test:integration` the third.
 */
const base = {
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    { ...base, displayName: 'e2e', rootDir: 'test', testRegex: '.*\\.e2e-spec\\.ts$' },
    { ...base, displayName: 'integration', rootDir: 'test', testRegex: '.*\\.int-spec\\.ts$' },
  ],
};
