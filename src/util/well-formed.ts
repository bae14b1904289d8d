/**
 * Lone UTF-16 surrogates ("\ud800" in JSON) are valid JavaScript strings but not Unicode text. Codex
 * (Rust, serde_json) rejects a JSON-RPC line that holds one and drops it without an answer, so
 * none may ever reach it. In `u` mode a paired surrogate is one code point and does not match.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/** Node 20's String.prototype.isWellFormed (ES2024, not in this project's ES2022 lib): native, 4x the regex. */
const nativeCheck = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

export function isWellFormedText(text: string): boolean {
  return nativeCheck ? nativeCheck.call(text) : !LONE_SURROGATE.test(text);
}

/** Each lone surrogate becomes U+FFFD, as String.prototype.toWellFormed does. */
export function toWellFormedText(text: string): string {
  return isWellFormedText(text) ? text : text.replace(LONE_SURROGATES, '\ufffd');
}
