// The type check and ESLint in one process, on one TypeScript program. `tsc --noEmit` and the type-checked
// typescript-eslint rules each built the same program of src/, test/ and scripts/ from tsconfig.json, which
// was about a quarter of the CPU of `npm test` on a 2-core machine; handing ESLint the program that the
// type check built (parserOptions.programs) does that work once. `npm run typecheck` and `npm run lint`
// stay the plain tools, with the same configuration.
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function loadProgram() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return { program, configErrors: parsed.errors };
}

const { program, configErrors } = loadProgram();
const diagnostics = [...configErrors, ...ts.getPreEmitDiagnostics(program)];
if (diagnostics.length > 0) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  const format = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stderr.write(format(diagnostics, host));
}

const eslint = new ESLint({
  cwd: root,
  // Only the TypeScript files are type-checked (the JS config files have typed rules off in eslint.config.mjs).
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
  ],
});
const results = await eslint.lintFiles(['.']);
const report = (await eslint.loadFormatter('stylish')).format(results);
if (report) process.stderr.write(report);
const lintErrors = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);

if (diagnostics.length > 0) process.stderr.write(`check: ${diagnostics.length} type error(s)\n`);
process.exitCode = diagnostics.length > 0 || lintErrors > 0 ? 1 : 0;
