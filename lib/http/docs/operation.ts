import type { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.js';

/**
 * One operation of an API as the reference shows it, with the zod schemas its route validates
 * with, so the document cannot drift from what the server accepts.
 */
export type Operation = {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As the router writes it: `/payments/:id/confirm`. */
  path: string;
  tag: string;
  summary: string;
  description: string;
  /** Every `:name` of the path, with the rule the route parses it with. */
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: unknown;
  answer: {
    status: number;
    description: string;
    schema?: z.ZodType;
    example?: unknown;
    /** A CSV answer: its header line. */
    csv?: readonly string[];
  };
  /** The error codes this operation may answer, beside those of every operation of its API (ApiDescription.errors). */
  errors: ErrorCode[];
  /** Takes Idempotency-Key (every POST of the merchant API does). */
  idempotent?: boolean;
};

export type ApiDescription = {
  title: string;
  description: string;
  basePath: string;
  tags: { name: string; description: string }[];
  security: { name: string; description: string };
  /** What every operation may answer (its authentication, its limits, a database away), beside each one's own errors. */
  errors: ErrorCode[];
  operations: Operation[];
};
