/** Every error code Vigil raises. The API edge maps each to an HTTP status; nothing else does. */
export const ERROR_CODES = [
  'bad_input',
  'not_found',
  'conflict',
  'unauthorised',
  'forbidden',
  'csrf',
  'rate_limited',
  'unsupported',
  'config',
  'store',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in an input a problem was found: the file, its line (1-based) and the field. */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** The one error type of Vigil: a stable code, a message that says what to do next, and where. */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: InputLocation } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.location = options.location;
  }

  /** `file:line: field: message`, the form every rejection report uses. */
  describe(): string {
    const loc = this.location;
    if (loc === undefined) return this.message;
    const where = [loc.file, loc.line, loc.column].filter((part) => part !== undefined).join(':');
    const field = loc.field === undefined ? '' : `${loc.field}: `;
    return `${where === '' ? '' : `${where}: `}${field}${this.message}`;
  }
}

/** True when `error` is a VigilError with one of the given codes. */
export function isVigilError(error: unknown, ...codes: ErrorCode[]): error is VigilError {
  return error instanceof VigilError && (codes.length === 0 || codes.includes(error.code));
}
