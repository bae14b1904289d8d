import type { DynamicToolSpec } from '../protocol/app-server.protocol';

/**
 * The client's own tools for one turn, as the HTTP features hand them to the engine. Names here
 * are Codex-side names (a name Codex reserves travels under an alias, see tool-names.ts).
 */
export interface ClientToolsSpec {
  /** Offered to the model as Codex dynamic tools; empty for tool_choice "none". */
  dynamicTools: DynamicToolSpec[];
  /** Codex-side name → the client's name, for every aliased tool. */
  clientNames: Record<string, string>;
  /** Hash of what a thread fixes for its life: instructions, offered tools, tool_choice emulation, model. */
  key: string;
  /** Hash of the offered tools alone: threads started with them are interchangeable (spare threads). */
  threadKey: string;
}

/** One call of a client tool by the model, as the client must see it. */
export interface ClientToolCall {
  callId: string;
  /** The provider's item id (`fc_…`). */
  itemId: string;
  /** The client's name for the tool. */
  name: string;
  /** The model's argument string, byte for byte. */
  arguments: string;
}
