import type { Notification } from './protocol/app-server.protocol';

/**
 * Notifications the gateway never reads, which each app-server connection opts out of at
 * `initialize` (`optOutNotificationMethods`). Four of them came with every turn (two
 * `thread/status/changed`, `turn/started`, `account/rateLimits/updated`: a fifth of a short turn's
 * lines), and an agent's command output and diffs stream as many more, all parsed and dropped.
 * Fewer lines is less work for Codex and for the gateway on the two cores they share.
 * A notification added to what the gateway reads must leave this list (a spec checks both agree).
 */
export const UNREAD_NOTIFICATIONS: readonly Notification['method'][] = [
  'thread/status/changed',
  'thread/started',
  'thread/settings/updated',
  'thread/name/updated',
  'turn/started',
  'turn/diff/updated',
  'turn/plan/updated',
  'account/rateLimits/updated',
  'item/reasoning/textDelta',
  'item/reasoning/summaryPartAdded',
  'item/commandExecution/outputDelta',
  'item/fileChange/outputDelta',
  'item/plan/delta',
  'item/mcpToolCall/progress',
];
