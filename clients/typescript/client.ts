import type { paths } from './api.js';

/**
 * A typed client of the merchant API: the generated `paths` types (openapi-typescript) plus fetch.
 * Each call is checked against the OpenAPI document at compile time: the path, its parameters, the
 * body, and the answer's type.
 */
type Method = 'get' | 'post' | 'patch' | 'delete';
type OperationOf<P extends keyof paths, M extends Method> = paths[P][M];
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Responses<O> = O extends { responses: infer R } ? R : never;
type Success<O> = JsonOf<Responses<O>[Extract<keyof Responses<O>, 200 | 201 | 202>]>;
type BodyOf<O> = O extends { requestBody: infer B } ? JsonOf<B> : O extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
type ParamsOf<O, K extends 'path' | 'query'> = O extends { parameters: { [k in K]?: infer P } } ? P : never;

export type CallOptions<O> = {
  params?: ParamsOf<O, 'path'>;
  query?: ParamsOf<O, 'query'>;
  body?: BodyOf<O>;
  idempotencyKey?: string;
};

/** An answer other than 2xx: the RFC 9457 problem the API sent. */
export class TelepurseError extends Error {
  constructor(readonly status: number, readonly problem: { code: string; detail: string; errors?: { field: string; message: string }[] }) {
    super(`${status} ${problem.code}: ${problem.detail}`);
  }
}

export function telepurseClient(baseUrl: string, apiKey: string) {
  const base = baseUrl.replace(/\/$/, '');
  return {
    async call<P extends keyof paths, M extends Method>(method: M, path: P, options: CallOptions<OperationOf<P, M>> = {}): Promise<Success<OperationOf<P, M>>> {
      const params = (options.params ?? {}) as Record<string, string>;
      const url = new URL(base + String(path).replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? '')));
      for (const [name, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      if (!res.ok) throw new TelepurseError(res.status, (await res.json()) as TelepurseError["problem"]);
      return (res.status === 204 ? undefined : await res.json()) as Success<OperationOf<P, M>>;
    },
  };
}
