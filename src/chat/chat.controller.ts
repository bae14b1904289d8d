import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { lastValueFrom } from 'rxjs';
import { clientSignal } from '../common/http/client-signal';
import { untilClosed } from '../common/http/until-closed';
import { ChatRequestService } from './chat-request.service';
import { Metered } from '../common/http/metered.decorator';
import { ChatService } from './chat.service';
import { CreateChatCompletionDto } from './dto/create-chat-completion.dto';

@Controller('chat')
export class ChatController {
  constructor(
    private readonly requests: ChatRequestService,
    private readonly chat: ChatService,
  ) {}

  /** One route answers JSON or SSE depending on `stream`, which `@Sse()` cannot do. */
  @Post('completions')
  @HttpCode(200)
  @Metered()
  async create(@Body() dto: CreateChatCompletionDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const prepared = await this.requests.prepare(dto, clientSignal(res), apiKeyNameOf(req));
    // From here the turn Observable owns the prepared images: nothing may throw before it is subscribed.
    if (prepared.ignoredParams.length > 0) res.setHeader('X-Gateway-Ignored-Params', prepared.ignoredParams.join(', '));
    if (dto.stream) return this.chat.streamTo(res, prepared);
    res.json(await lastValueFrom(this.chat.complete(prepared).pipe(untilClosed(res))));
  }
}
