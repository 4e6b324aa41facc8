import type { AppContext, AppMiddleware } from './context.js';
import { AppError } from '../../domain/errors.js';

/** A file posted in a multipart form: its bytes, and the name and type the browser gave (never trusted). */
export type UploadedFile = { filename: string; type: string; bytes: Buffer };
type Multipart = { fields: URLSearchParams; files: Map<string, UploadedFile> };

const parsed = new WeakMap<object, Multipart>();

/** The text fields of a multipart form read by multipartForms, as a urlencoded form's would be. */
export function multipartFieldsOf(ctx: AppContext): URLSearchParams | undefined {
  return parsed.get(ctx.req)?.fields;
}

export function uploadedFile(ctx: AppContext, name: string): UploadedFile | undefined {
  return parsed.get(ctx.req)?.files.get(name);
}

/**
 * multipart/form-data on the paths that take a file (a browser sends a file only this way, with no JavaScript): read up to
 * `maxBytes` (more is 413), split into fields and files before the CSRF and one-time-token checks read the fields.
 */
export function multipartForms(paths: RegExp, maxBytes: number): AppMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !ctx.is('multipart/form-data') || !paths.test(ctx.path)) return next();
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ctx.get('Content-Type'));
    if (!boundary) throw new AppError('invalid_request', 'The multipart form has no boundary');
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of ctx.req) {
      length += (chunk as Buffer).length;
      if (length > maxBytes) throw new AppError('payload_too_large', `A form is at most ${Math.round(maxBytes / 1024)} KB`);
      chunks.push(chunk as Buffer);
    }
    parsed.set(ctx.req, await parseMultipart(Buffer.concat(chunks), ctx.get('Content-Type')));
    await next();
  };
}

/** Node's own fetch (undici) reads multipart/form-data: no hand-written parser of a format with this many edge cases. */
async function parseMultipart(body: Buffer, contentType: string): Promise<Multipart> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData().catch(() => {
    throw new AppError('invalid_request', 'The multipart form is malformed');
  });
  const fields = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  for (const [name, value] of form) {
    if (typeof value === 'string') fields.append(name, value);
    // a file input left empty posts an empty part with no file name
    else if (value.name || value.size) files.set(name, { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}
