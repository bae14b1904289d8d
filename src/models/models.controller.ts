import { Controller, Get, Param } from '@nestjs/common';
import { ListResponse, ModelObject } from '../openai/openai.types';
import { ModelsService } from '../catalog/models.service';

@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  list(): ListResponse<ModelObject> {
    return this.models.list();
  }

  @Get(':id')
  get(@Param('id') id: string): ModelObject {
    return this.models.get(id);
  }
}
