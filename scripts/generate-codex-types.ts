// Regenerates the app-server protocol types from the pinned Codex binary, so the types always
// match the CLI that `npm ci` installs. Run `npm run codex:types` after changing the pin. `--experimental`
// adds the fields that client tools need (thread/start.dynamicTools, item/tool/call, raw response events).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveCodexBinary } from '../src/codex/codex-binary';

const out = join(__dirname, '..', 'src', 'codex', 'protocol', 'generated');
const { bin, version } = resolveCodexBinary();
rmSync(out, { recursive: true, force: true });
execFileSync(bin, ['app-server', 'generate-ts', '--experimental', '--out', out], { stdio: 'inherit' });
console.log(`protocol types of codex ${version ?? '?'} written to ${relative(process.cwd(), out)}`);
