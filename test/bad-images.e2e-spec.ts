import { TEST_MODELS } from './support/codex-home';
import { expectRefused, Refusal } from './support/bad-input';
import { Gateway, startGateway, suiteGateway } from './support/gateway';
import { dataUrl, imageMessage, ImageServer, PNG, PNG_DATA_URL } from './support/images';

const P = 'messages[0].content[1].image_url';
const refused = (code: string, param = P): Refusal => ({ status: 400, type: 'invalid_request_error', param, code });
const withImage = (url: string, extra: Record<string, unknown> = {}) => ({
  model: TEST_MODELS.full,
  messages: [imageMessage('look', url)],
  ...extra,
});

describe('image URLs the server never reads (fetching off, the default)', () => {
  const gw = suiteGateway({ env: { IMAGE_MAX_BYTES: '2048', MAX_IMAGES_PER_REQUEST: '2' } });

  it.each([
    ['file://', 'file:///etc/passwd', 'unsupported_image_url'],
    ['FILE:// in capitals', 'FILE:///home/codex/.codex/auth.json', 'unsupported_image_url'],
    ['ftp://', 'ftp://example.com/cat.png', 'unsupported_image_url'],
    ['gopher://', 'gopher://127.0.0.1:6379/_INFO', 'unsupported_image_url'],
    ['javascript:', 'javascript:alert(1)', 'unsupported_image_url'],
    ['a bare path', '/etc/passwd', 'unsupported_image_url'],
    ['an empty URL', '', 'unsupported_image_url'],
    ['https while fetching is off', 'https://example.com/cat.png', 'image_fetch_disabled'],
    ['the metadata address while fetching is off', 'http://169.254.169.254/latest/meta-data/', 'image_fetch_disabled'],
    ['a non-image data URL', 'data:text/plain;base64,aGVsbG8gd29ybGQ=', 'unsupported_image_type'],
    [
      'HTML labelled as PNG',
      dataUrl('image/png', Buffer.from('<html><script>alert(1)</script></html>')),
      'unsupported_image_type',
    ],
    [
      'SVG',
      dataUrl('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
      'unsupported_image_type',
    ],
    ['a ZIP labelled as JPEG', dataUrl('image/jpeg', Buffer.from('PK\x03\x04rest-of-zip')), 'unsupported_image_type'],
    ['a data URL without base64', 'data:image/png,%89PNG%0D%0A', 'invalid_image_url'],
    ['broken base64', 'data:image/png;base64,iVBOR!!!w0KGgo=', 'invalid_image_url'],
    ['an oversized image', dataUrl('image/png', Buffer.concat([PNG, Buffer.alloc(4096)])), 'image_too_large'],
  ])('refuses %s', async (_name, url, code) => {
    await expectRefused(gw, withImage(url), refused(code));
  });

  it('refuses a bad image in a streaming request with a JSON 400, before any stream starts', async () => {
    const r = await expectRefused(
      gw,
      withImage('file:///etc/passwd', { stream: true }),
      refused('unsupported_image_url'),
    );
    expect(r.headers.get('content-type')).toContain('application/json');
  });

  it('names the image in an earlier message', async () => {
    const messages = [
      imageMessage('old', 'file:///etc/shadow'),
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'hi' },
    ];
    await expectRefused(
      gw,
      { model: TEST_MODELS.full, messages },
      refused('unsupported_image_url', 'messages[0].content[1].image_url'),
    );
  });

  it('refuses more images than MAX_IMAGES_PER_REQUEST, naming the first one over', async () => {
    const message = imageMessage('three', PNG_DATA_URL, PNG_DATA_URL, PNG_DATA_URL);
    await expectRefused(
      gw,
      { model: TEST_MODELS.full, messages: [message] },
      refused('too_many_images', 'messages[0].content[3].image_url'),
    );
  });
});

describe('image URLs pointing inside the network (fetching on, nothing exempted)', () => {
  const gw = suiteGateway({ env: { IMAGE_FETCH_ENABLED: '1' } });

  it.each([
    ['loopback', 'http://127.0.0.1:9/cat.png'],
    ['loopback, short form', 'http://127.1/cat.png'],
    ['loopback as a decimal number', 'http://2130706433/cat.png'],
    ['loopback in hex', 'http://0x7f000001/cat.png'],
    ['IPv6 loopback', 'http://[::1]/cat.png'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/cat.png'],
    ['this host', 'http://0.0.0.0/cat.png'],
    ['private 10/8', 'http://10.0.0.1/cat.png'],
    ['private 172.16/12', 'https://172.16.0.1/cat.png'],
    ['private 192.168/16', 'http://192.168.1.1/cat.png'],
    ['CGNAT', 'http://100.64.0.1/cat.png'],
    ['link-local', 'http://169.254.1.1/cat.png'],
    ['IPv6 link-local', 'http://[fe80::1]/cat.png'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['the ECS metadata address', 'http://169.254.170.2/v2/credentials'],
    ['the AWS IPv6 metadata address', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['NAT64 metadata', 'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/'],
  ])('refuses %s', async (_name, url) => {
    await expectRefused(gw, withImage(url), refused('image_url_not_allowed'));
  });

  it('refuses credentials in the URL', async () => {
    await expectRefused(gw, withImage('http://user:secret@example.com/cat.png'), refused('invalid_image_url'));
  });
});

describe('image downloads that go wrong (fetching on, loopback exempted for this test only)', () => {
  let gw: Gateway;
  const server = new ImageServer({
    '/to-metadata': (_q, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-private': (_q, res) => res.writeHead(301, { location: 'http://10.0.0.1/cat.png' }).end(),
    '/to-ipv6-loopback': (_q, res, base) => res.writeHead(307, { location: base.replace('127.0.0.1', '[::1]') }).end(),
    '/to-file': (_q, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    '/to-data': (_q, res) => res.writeHead(302, { location: PNG_DATA_URL }).end(),
    '/loop': (_q, res) => res.writeHead(302, { location: '/loop' }).end(),
    '/big.png': (_q, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([PNG, Buffer.alloc(4096)])),
    '/page.png': (_q, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>'),
    '/missing.png': (_q, res) => res.writeHead(404).end(),
    '/hang.png': () => undefined,
  });
  beforeAll(async () => {
    await server.start();
    gw = await startGateway({
      env: {
        IMAGE_FETCH_ENABLED: '1',
        IMAGE_FETCH_ALLOW_CIDRS: '127.0.0.1/32',
        IMAGE_MAX_BYTES: '2048',
        IMAGE_FETCH_TIMEOUT: '1',
        IMAGE_FETCH_MAX_REDIRECTS: '2',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await server.stop();
  });

  it.each([
    ['a redirect to the metadata address', '/to-metadata', 'image_redirect_refused'],
    ['a redirect to a private address', '/to-private', 'image_redirect_refused'],
    ['a redirect to IPv6 loopback', '/to-ipv6-loopback', 'image_redirect_refused'],
    ['a redirect to file://', '/to-file', 'image_redirect_refused'],
    ['a redirect to a data: URL', '/to-data', 'image_redirect_refused'],
    ['a redirect loop', '/loop', 'image_fetch_failed'],
    ['an image over IMAGE_MAX_BYTES', '/big.png', 'image_too_large'],
    ['HTML served as image/png', '/page.png', 'unsupported_image_type'],
    ['a 404', '/missing.png', 'image_fetch_failed'],
    ['a server that never answers', '/hang.png', 'image_fetch_failed'],
  ])('refuses %s', async (_name, path, code) => {
    server.hits.splice(0);
    await expectRefused(gw, withImage(`${server.base}${path}`), refused(code));
    // The refused redirect target was never requested.
    expect(server.hits.every((h) => h === path)).toBe(true);
  });
});
