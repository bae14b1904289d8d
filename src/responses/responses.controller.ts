import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { clientSignal } from '../common/http/client-signal';
import { TurnResponder } from '../common/http/turn-responder';
import { CreateResponseDto } from './dto/create-response.dto';
import { ResponseRequestService } from './response-request.service';
import { ResponsesService } from './responses.service';
import { Metered } from '../common/http/metered.decorator';
import type { ResponseObject } from './responses.types';
import type { InputItemsPage } from './response-input-items.page';

@Controller('responses')
export class ResponsesController {
  constructor(
    private readonly requests: ResponseRequestService,
    private readonly responses: ResponsesService,
    private readonly responder: TurnResponder,
  ) {}

  @Post()
  @HttpCode(200)
  @Metered()
  async create(@Body() dto: CreateResponseDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const prepared = await this.requests.prepare(dto, clientSignal(res), apiKeyNameOf(req));
    await this.responder.send(res, this.responses.reply(prepared, dto.stream === true));
  }

  @Get(':id')
  retrieve(@Param('id') id: string, @Req() req: Request): Promise<ResponseObject> {
    return this.responses.retrieve(id, apiKeyNameOf(req));
  }

  @Get(':id/input_items')
  inputItems(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<InputItemsPage> {
    return this.responses.inputItems(id, apiKeyNameOf(req), query);
  }

  @Delete(':id')
  remove(
    @Param('id') id: string,
    @Req() req: Request,
  ): Promise<{ id: string; object: 'response.deleted'; deleted: true }> {
    return this.responses.remove(id, apiKeyNameOf(req));
  }
}
