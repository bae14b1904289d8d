import { Module } from '@nestjs/common';
import { ModelsController } from './models.controller';
import { CatalogModule } from '../catalog/catalog.module';

@Module({
  imports: [CatalogModule],
  controllers: [ModelsController],
})
export class ModelsModule {}
