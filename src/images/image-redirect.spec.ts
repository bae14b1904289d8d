import { OpenAIHttpException } from '../common/errors/openai-error';
import { redirectTarget } from './image-redirect';

describe('redirectTarget', () => {
  const origin = new URL('https://img.example/a.png');
  it.each([
    ['/b.png', 'https://img.example/b.png'],
    ['https://img.example:8443/c.png', 'https://img.example:8443/c.png'],
    ['//img.example/d.png', 'https://img.example/d.png'],
  ])('follows %s', (location, expected) => {
    expect(redirectTarget(origin, origin, location, 'p').href).toBe(expected);
  });

  it.each([
    ['another host', 'https://evil.example/a.png'],
    ['a metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a downgrade to http', 'http://img.example/a.png'],
    ['file:', 'file:///etc/passwd'],
    ['credentials', 'https://user:pw@img.example/a.png'],
    ['an unparsable location', 'http://[::1'],
    ['a look-alike host', 'https://img.example.evil.example/a.png'],
  ])('refuses %s', (_name, location) => {
    expect(() => redirectTarget(origin, origin, location, 'p')).toThrow(OpenAIHttpException);
  });
});
