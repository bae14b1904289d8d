/** What OpenAI accepts as a function name (Codex accepts longer ones, so the length is checked here). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Names Codex drops from dynamic tools even with its built-ins off (measured on 0.169: a model
 * call to them gets "unsupported call"), so a client tool of that name travels under an alias.
 */
const RESERVED = new Set(['exec_command']);

/**
 * Client name → Codex-side name for every tool of one request. Aliases are `client_<name>`,
 * numbered if the client happens to use that name too, so the mapping is one-to-one.
 */
export function codexToolNames(names: readonly string[]): Map<string, string> {
  const taken = new Set(names);
  const out = new Map<string, string>();
  for (const name of names) {
    if (!RESERVED.has(name)) {
      out.set(name, name);
      continue;
    }
    let alias = `client_${name}`;
    for (let n = 2; taken.has(alias); n++) alias = `client_${name}_${n}`;
    taken.add(alias);
    out.set(name, alias);
  }
  return out;
}
