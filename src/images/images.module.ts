import { Module } from '@nestjs/common';
import { ImageInputService } from './image-input.service';

/** Image inputs for every endpoint that takes them (chat `image_url`, responses `input_image`). */
@Module({
  providers: [ImageInputService],
  exports: [ImageInputService],
})
export class ImagesModule {}
