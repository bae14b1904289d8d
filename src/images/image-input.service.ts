import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { imagesConfig, ImagesConfig } from '../config/images.config';
import { AddressPolicy } from './address-policy';
import { decodedSize, parseDataUrl } from './data-url';
import { ImageFetcher, systemLookup } from './image-fetcher';
import { declaredImageMime, IMAGE_MIMES, sniffImageMime } from './image-mime';
import { ImageScope, LoadedImage } from './image-scope';
import { resolveTurnImages, type ResolvedTurn, type TurnContent, type HistoryItem } from './turn-images';

const unsupportedType = (param: string): OpenAIHttpException =>
  invalidRequest(`The image at '${param}' must be one of ${IMAGE_MIMES.join(', ')}.`, param, 'unsupported_image_type');

/**
 * Turns image URLs from requests into checked images. Accepted: base64 `data:` URLs, and http(s)
 * URLs only when IMAGE_FETCH_ENABLED is on; `file:` and every other scheme are refused. Every
 * refusal is a 400 naming the request `param`. Features use it through {@link openScope}.
 */
@Injectable()
export class ImageInputService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ImageInputService.name);
  private readonly fetcher: ImageFetcher;
  private dir: string | null = null;

  constructor(@Inject(imagesConfig.KEY) private readonly config: ImagesConfig) {
    const { fetch, maxBytes } = config;
    this.fetcher = new ImageFetcher({
      ...fetch,
      maxBytes,
      policy: new AddressPolicy(fetch.allowCidrs),
      lookup: systemLookup,
    });
  }

  onModuleInit(): void {
    mkdirSync(this.config.tempRoot, { recursive: true });
    // mkdtemp creates the directory with mode 0700: only the gateway's user can list or read it.
    this.dir = mkdtempSync(join(this.config.tempRoot, 'codex-wrapper-images-'));
  }

  onApplicationShutdown(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** This process' private directory for request images. */
  get tempDir(): string {
    if (!this.dir) throw new Error('ImageInputService used before module init');
    return this.dir;
  }

  /** A holder for one request's images; `client` aborts downloads when the client goes away. */
  openScope(client?: AbortSignal): ImageScope {
    return new ImageScope((url, param, signal) => this.load(url, param, signal), this.tempDir, client);
  }

  /**
   * Loads every image of one request's turn (see resolveTurnImages). The returned scope owns the
   * temp files from then on; if anything fails first (a refused image, the client gone), they are
   * removed before the error is rethrown.
   */
  async resolveTurn(
    turn: TurnContent<HistoryItem>,
    client: AbortSignal,
  ): Promise<ResolvedTurn & { scope: ImageScope }> {
    const scope = this.openScope(client);
    try {
      const resolved = await resolveTurnImages(turn, scope);
      if (client.aborted)
        throw new CodexError(CodexErrorCode.Interrupted, 'client closed the connection before the turn started');
      return { ...resolved, scope };
    } catch (err) {
      await scope.dispose();
      throw err;
    }
  }

  async load(url: string, param: string, signal: AbortSignal): Promise<LoadedImage> {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme === 'data') return this.decode(url, param);
    if (scheme !== 'http' && scheme !== 'https') {
      throw invalidRequest(
        `The image URL at '${param}' must be a base64 data: URL${this.config.fetch.enabled ? ' or an http(s) URL' : ''}.`,
        param,
        'unsupported_image_url',
      );
    }
    if (!this.config.fetch.enabled) {
      throw invalidRequest(
        `This server does not download image URLs (IMAGE_FETCH_ENABLED is off); send '${param}' as a base64 data: URL.`,
        param,
        'image_fetch_disabled',
      );
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidRequest(`The image URL at '${param}' is not a valid URL.`, param, 'invalid_image_url');
    }
    if (parsed.username || parsed.password)
      throw invalidRequest(`The image URL at '${param}' must not contain credentials.`, param, 'invalid_image_url');
    const bytes = await this.fetcher.fetch(parsed, param, signal);
    const mime = sniffImageMime(bytes);
    if (!mime) throw unsupportedType(param);
    this.logger.debug(`fetched ${bytes.length} bytes of ${mime} for ${param}`);
    return { mime, bytes };
  }

  private decode(url: string, param: string): LoadedImage {
    const data = parseDataUrl(url);
    if (!data)
      throw invalidRequest(
        `The image at '${param}' must be a base64 data: URL (data:image/png;base64,...).`,
        param,
        'invalid_image_url',
      );
    if (!declaredImageMime(data.mime)) throw unsupportedType(param);
    if (decodedSize(data.base64) > this.config.maxBytes) {
      throw invalidRequest(
        `The image at '${param}' is larger than ${this.config.maxBytes} bytes (IMAGE_MAX_BYTES).`,
        param,
        'image_too_large',
      );
    }
    const bytes = Buffer.from(data.base64, 'base64');
    const mime = sniffImageMime(bytes);
    if (!mime) throw unsupportedType(param);
    return { mime, bytes };
  }
}
