import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** Under node_modules, so that the built server resolves its packages exactly as dist/ would. */
const CACHE = join(ROOT, 'node_modules', '.cache', 'codex-wrapper-server');

let built: string | null = null;

/**
 * The entry point of the server compiled from the current sources, for tests that run it as its own
 * process. Each module it requires is transpiled alone (as ts-jest does; `npm test` type-checks
 * the tree beside jest), once per source state: the output directory is named by a hash of the sources and
 * compiler options, so the workers of one run, and later runs on unchanged code, share one build.
 * Starting `node main.js` then costs about a third of starting `ts-node` on the sources, which
 * compiled the whole tree again in every server process.
 */
export function builtServerEntry(): string {
  if (built) return built;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.build.json could not be read');
  const options: ts.CompilerOptions = { ...parsed.options, sourceMap: false };
  const files = [...parsed.fileNames].sort();
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  const hash = createHash('sha256').update(ts.version).update(JSON.stringify(options));
  files.forEach((f, i) =>
    hash
      .update(relative(ROOT, f))
      .update('\0')
      .update(sources[i] ?? ''),
  );
  const name = hash.digest('hex').slice(0, 16);
  const out = join(CACHE, name);
  const entry = join(out, 'main.js');
  if (existsSync(entry)) return (built = entry);
  const rootDir = parsed.options.rootDir ?? join(ROOT, 'src');
  // Written aside and renamed into place, so a worker never runs another worker's half-written build.
  const tmp = join(CACHE, `${name}.${process.pid}.tmp`);
  const byPath = new Map(files.map((f, i) => [f, sources[i] ?? '']));
  // Only what main.ts requires at run time, found in the emitted JavaScript itself: type-only
  // modules (the ~950 generated protocol files) emit nothing anybody requires.
  const pending = [join(rootDir, 'main.ts')];
  const done = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = byPath.get(file);
    if (source === undefined) throw new Error(`server build: ${relative(ROOT, file)} is not in tsconfig.build.json`);
    const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: file });
    const target = join(tmp, relative(rootDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const [, spec] of outputText.matchAll(/\brequire\("(\.[^"]+)"\)/g)) {
      const base = join(dirname(file), spec ?? '');
      pending.push(byPath.has(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
    }
  }
  try {
    renameSync(tmp, out);
    // Builds of older sources are of no further use (this build's own temporary copies are other workers').
    for (const old of readdirSync(CACHE))
      if (!old.startsWith(name)) rmSync(join(CACHE, old), { recursive: true, force: true });
  } catch {
    // Another worker renamed the same build into place first.
    rmSync(tmp, { recursive: true, force: true });
  }
  return (built = entry);
}
