import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';

/** One ApiKeyGuard for the whole app: bound globally in AppModule, reused by routes with their own rule. */
@Module({
  providers: [ApiKeyGuard],
  exports: [ApiKeyGuard],
})
export class AuthModule {}
