import { AwsError } from './errors.js';

/** A request body field reader that answers bad input with the service's own exception type. */
export class Input {
  constructor(
    private readonly body: Record<string, unknown>,
    private readonly errorType: string,
  ) {}

  static of(body: unknown, errorType: string): Input {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'Request body must be a JSON object');
    }
    return new Input(body as Record<string, unknown>, errorType);
  }

  fail(message: string): AwsError {
    return new AwsError(this.errorType, message);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  string(field: string, rules: { required: true; min?: number; max?: number; pattern?: RegExp }): string;
  string(field: string, rules?: { required?: false; min?: number; max?: number; pattern?: RegExp }): string | undefined;
  string(field: string, rules: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (rules.required) throw this.fail(`${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string') throw new AwsError('SerializationException', `${field} must be a string`);
    if (rules.min !== undefined && value.length < rules.min) throw this.fail(`${field} must be at least ${rules.min} characters long`);
    if (rules.max !== undefined && value.length > rules.max) throw this.fail(`${field} must be at most ${rules.max} characters long`);
    if (rules.pattern && !rules.pattern.test(value)) throw this.fail(`${field} has invalid characters`);
    return value;
  }

  integer(field: string, rules: { min?: number; max?: number; fallback: number }): number;
  integer(field: string, rules?: { min?: number; max?: number }): number | undefined;
  integer(field: string, rules: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return rules.fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new AwsError('SerializationException', `${field} must be an integer`);
    if ((rules.min !== undefined && value < rules.min) || (rules.max !== undefined && value > rules.max)) {
      throw this.fail(`${field} must be between ${rules.min ?? '-∞'} and ${rules.max ?? '∞'}, got ${value}`);
    }
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.body[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw new AwsError('SerializationException', `${field} must be a boolean`);
    return value;
  }

  array<T = unknown>(field: string): T[] | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new AwsError('SerializationException', `${field} must be a list`);
    return value as T[];
  }

  strings(field: string): string[] | undefined {
    const values = this.array(field);
    if (values?.some((v) => typeof v !== 'string')) throw new AwsError('SerializationException', `${field} must be a list of strings`);
    return values as string[] | undefined;
  }

  object(field: string): Record<string, unknown> | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new AwsError('SerializationException', `${field} must be a structure`);
    return value as Record<string, unknown>;
  }
}

/** JSON protocols carry timestamps as epoch seconds (fractions allowed). */
export function epochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}
