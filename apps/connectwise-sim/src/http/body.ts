import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

const MAX_BODY_BYTES = 25 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, { code: 'RequestEntityTooLarge', message: 'The request body is too large.' }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * A JSON body. Multipart or form bodies sent to a JSON endpoint get 415. Malformed JSON gets 400
 * (the real server's answer was not found; Json.NET's parser message is imitated).
 */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = mediaType(req);
  if (type.startsWith('multipart/') || type === 'application/x-www-form-urlencoded') {
    throw new ApiError(415, { code: 'UnsupportedMediaType', message: `The request entity's media type '${type}' is not supported for this resource.` });
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw ApiError.badRequest('Unexpected character encountered while parsing value. Path \'\', line 1, position 1.', 'InvalidObject');
  }
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A multipart/form-data body (RFC 7578), as fetch's FormData or curl -F send it. */
export function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundaryMatch) throw ApiError.badRequest('The multipart body has no boundary.');
  const delimiter = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const parts: MultipartPart[] = [];
  let position = raw.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) parts.push({ name, filename, contentType: type, data: part.subarray(headerEnd + 4) });
    }
    position = next;
  }
  return parts;
}
