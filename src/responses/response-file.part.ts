import { invalidRequest } from '../common/errors/openai-error';

/** Media types whose bytes are text the model can read as is. */
const TEXT_TYPE = /^(text\/[\w.+-]+|application\/(json|[\w.-]+\+json|x-ndjson|csv|markdown|x-yaml|yaml|xml))$/;
/** When `file_data` is bare base64, the file name is all that tells the type. */
const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  xml: 'application/xml',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
};
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

interface FileBytes {
  mediaType: string;
  bytes: Buffer;
}

function fromDataUrl(url: string, param: string): FileBytes {
  const m = DATA_URL.exec(url);
  if (!m) throw invalidRequest('A file must be a data: URL (data:<media type>;base64,<data>).', param, 'invalid_value');
  const base64 = (m[2] ?? '').split(';').includes('base64');
  const body = m[3] ?? '';
  const bytes = base64 ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
  return { mediaType: (m[1] || 'text/plain').toLowerCase(), bytes };
}

function fileBytes(part: Record<string, unknown>, param: string, filename: string | null): FileBytes {
  if (typeof part.file_data === 'string') {
    if (part.file_data.startsWith('data:')) return fromDataUrl(part.file_data, `${param}.file_data`);
    const ext = filename?.split('.').pop()?.toLowerCase() ?? '';
    const mediaType = BY_EXTENSION[ext] ?? (ext && filename?.includes('.') ? `.${ext}` : 'unknown');
    return { mediaType, bytes: Buffer.from(part.file_data, 'base64') };
  }
  if (typeof part.file_url === 'string') {
    if (part.file_url.startsWith('data:')) return fromDataUrl(part.file_url, `${param}.file_url`);
    throw invalidRequest(
      'file_url must be a data: URL: the gateway does not download files.',
      `${param}.file_url`,
      'unsupported_value',
    );
  }
  if (part.file_id !== undefined)
    throw invalidRequest(
      "input_file by 'file_id' is not supported: there is no Files API here; send 'file_data'.",
      `${param}.file_id`,
      'unsupported_value',
    );
  throw invalidRequest(
    "input_file needs 'file_data' (base64 or a data: URL).",
    `${param}.file_data`,
    'missing_required_parameter',
  );
}

/**
 * An `input_file` part as text the model reads: text-like files (text/*, JSON, CSV, Markdown, …)
 * are decoded as UTF-8 and wrapped in a `<file>` element with their name; any other type is
 * refused, naming the type, since Codex has no way to show the model a PDF or an archive.
 */
export function fileText(part: Record<string, unknown>, param: string): string {
  const filename = typeof part.filename === 'string' ? part.filename.slice(0, 255) : null;
  const { mediaType, bytes } = fileBytes(part, param, filename);
  if (!TEXT_TYPE.test(mediaType)) {
    throw invalidRequest(
      `Files of type '${mediaType.slice(0, 100)}' are not supported: only text files (text/*, JSON, CSV, Markdown) can be read.`,
      param,
      'unsupported_file_type',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest(
      `The file is declared as '${mediaType}' but is not UTF-8 text.`,
      param,
      'unsupported_file_type',
    );
  }
  const name = filename ? ` name="${filename.replace(/["<>\n\r]/g, '_')}"` : '';
  return `<file${name}>\n${text}\n</file>`;
}
