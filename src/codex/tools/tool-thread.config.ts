import type { JsonValue } from '../protocol/app-server.protocol';

/**
 * thread/start.config for a thread that serves client tools: every Codex built-in tool off, so the
 * model is offered exactly the client's tools (measured per switch in client-tools.md §Q1).
 * `apply_patch` comes from the model catalog, hence a second catalog without it.
 */
export function clientToolsThreadConfig(catalogWithoutApplyPatch: string | null): Record<string, JsonValue> {
  const config: Record<string, JsonValue> = {
    'features.shell_tool': false,
    'features.unified_exec': false,
    'features.view_image': false,
    'features.goals': false,
    'features.multi_agent': false,
    'features.apps': false,
    'features.skill_search': false,
    'features.tool_suggest': false,
    'features.image_generation': false,
    'features.sleep_tool': false,
    web_search: 'disabled',
    'tools.experimental_request_user_input.enabled': false,
  };
  if (catalogWithoutApplyPatch !== null) config.model_catalog_json = catalogWithoutApplyPatch;
  return config;
}
