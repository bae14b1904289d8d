import { invalidRequest } from '../common/errors/openai-error';

/**
 * Where an image download may be redirected: http(s) on the same host name as the URL the client
 * sent, never from https down to http, never with credentials. The next hop's addresses are then
 * checked again like the first.
 */
export function redirectTarget(origin: URL, current: URL, location: string, param: string): URL {
  let next: URL | null;
  try {
    next = new URL(location, current);
  } catch {
    next = null;
  }
  const sameHost = next?.hostname === origin.hostname;
  const schemeOk = next?.protocol === 'https:' || (next?.protocol === 'http:' && current.protocol === 'http:');
  if (!next || !sameHost || !schemeOk || next.username || next.password) {
    throw invalidRequest(
      `The image at '${param}' redirects to another host or scheme, which this server does not follow.`,
      param,
      'image_redirect_refused',
    );
  }
  return next;
}
