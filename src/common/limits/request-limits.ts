import { invalidRequest } from '../errors/openai-error';

/** Per-request limits from the configuration (`MAX_INPUT_CHARS`, `MAX_IMAGES_PER_REQUEST`). */
export interface RequestLimits {
  maxInputChars: number;
  maxImages: number;
}

/** What a request asks for, counted by the feature's mapper before any work starts. */
export interface RequestSize {
  /** Characters of text over every message and instruction. */
  textChars: number;
  /** The `param` of each image, in request order. */
  imageParams: readonly string[];
  /** Where the text sits in the body, for the error `param`. */
  textParam: string;
}

/**
 * Refuses a request that exceeds a limit, before any image is fetched or turn started; shared by
 * every endpoint so the limits mean the same thing everywhere.
 */
export function checkRequestLimits(size: RequestSize, limits: RequestLimits): void {
  if (size.textChars > limits.maxInputChars) {
    throw invalidRequest(
      `The request has ${size.textChars} characters of text; this server accepts at most ${limits.maxInputChars} (MAX_INPUT_CHARS).`,
      size.textParam,
      'input_too_long',
    );
  }
  const over = size.imageParams[limits.maxImages];
  if (over !== undefined) {
    throw invalidRequest(
      `The request has ${size.imageParams.length} images; this server accepts at most ${limits.maxImages} (MAX_IMAGES_PER_REQUEST).`,
      over,
      'too_many_images',
    );
  }
}
