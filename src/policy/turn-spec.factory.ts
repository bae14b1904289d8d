import type { TurnPolicy } from './sandbox-policy.service';
import type { TurnSpec } from '../codex/turn-spec.types';

/** A turn spec from the policy's verdict plus what the request itself says. */
export function toTurnSpec(
  model: string,
  policy: TurnPolicy,
  content: Omit<TurnSpec, 'model' | 'effort' | 'sandbox' | 'networkAccess'>,
): TurnSpec {
  return { model, effort: policy.effort, sandbox: policy.sandbox, networkAccess: policy.networkAccess, ...content };
}
