import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { SandboxPolicyService } from './sandbox-policy.service';

/** Request options (`x_codex`, effort) checked against server policy, above the engine. */
@Module({
  imports: [CodexModule],
  providers: [SandboxPolicyService],
  exports: [SandboxPolicyService],
})
export class PolicyModule {}
