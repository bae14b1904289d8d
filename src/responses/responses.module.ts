import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { ImagesModule } from '../images/images.module';
import { CatalogModule } from '../catalog/catalog.module';
import { PolicyModule } from '../policy/policy.module';
import { responseStoreProvider } from './store/response-store.provider';
import { ResponseRequestFactory } from './response-request.factory';
import { ResponseThreadPlanner } from './response-thread.planner';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [CodexModule, CatalogModule, PolicyModule, ImagesModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    ResponseRequestFactory,
    ResponseThreadPlanner,
    responseStoreProvider,
  ],
})
export class ResponsesModule {}
