import { z } from 'zod';
import type { DocumentKind } from '../core/model.js';
import { VigilError, type InputLocation } from '../core/errors.js';

/** One report as read from an input, before it becomes a Document: the contract's input line. */
export interface ReportInput {
  id?: string | null;
  text: string;
  title?: string | null;
  url?: string | null;
  /** ISO 8601 date or date-time of publication. */
  published?: string | null;
  /** ISO 639-1 code. */
  language?: string | null;
  kind?: DocumentKind;
  /** Where the report was read from: `file` or `file:line`. */
  origin?: string | null;
}

/** A report that could not be read, with where and why. */
export interface Rejection {
  location: InputLocation;
  reason: string;
}

/** What a source yields: a report, or a rejection that the batch reports and goes past. */
export type ReadResult = { ok: true; report: ReportInput } | { ok: false; rejection: Rejection };

const optionalString = z.string().nullable().optional();

/** The contract's input line, validated. Unknown keys are kept out. */
export const ReportLineSchema = z.object({
  id: z.union([z.string(), z.number()]).nullable().optional(),
  text: z.string().refine((t) => t.trim() !== '', 'is empty'),
  title: optionalString,
  url: optionalString,
  published: z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'is not an ISO 8601 date or date-time')
    .nullable()
    .optional(),
  language: optionalString,
});

/**
 * Parses one JSON line of the contract's input format. Throws a VigilError naming the file, line
 * and field when the line is not a valid report.
 */
export function parseReportLine(line: string, location: { file: string; line: number }): ReportInput {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    throw new VigilError('bad_input', `not valid JSON (${error instanceof Error ? error.message : String(error)})`, {
      location,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new VigilError('bad_input', 'a line must be a JSON object with at least a "text" field', { location });
  }
  const parsed = ReportLineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    const key = issue?.path[0];
    const missing = issue?.code === 'invalid_type' && typeof key === 'string' && !(key in data);
    const message = missing ? 'is missing' : (issue?.message ?? 'is invalid');
    throw new VigilError('bad_input', message, { location: { ...location, field } });
  }
  const value = parsed.data;
  return {
    id: value.id === undefined || value.id === null ? null : String(value.id),
    text: value.text,
    title: value.title ?? null,
    url: value.url ?? null,
    published: value.published ?? null,
    language: value.language ?? null,
    origin: `${location.file}:${location.line}`,
  };
}
