import { AwsError } from '../errors.js';

/**
 * Reads a decoded Query request (every value a string, lists as arrays, structures as objects)
 * with Elastic Load Balancing's answers to bad input: a model constraint broken is a
 * `ValidationError` worded as AWS words it ("1 validation error detected: …").
 */
export class QueryInput {
  constructor(private readonly params: Record<string, unknown>) {}

  static validation(message: string): AwsError {
    return new AwsError('ValidationError', message);
  }

  string(field: string, rules: { required: true }): string;
  string(field: string, rules?: { required?: boolean }): string | undefined;
  string(field: string, rules: { required?: boolean } = {}): string | undefined {
    const value = this.params[field];
    if (value === undefined) {
      if (rules.required) throw constraint(field, 'null', 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') throw QueryInput.validation(`${field} must be a single value`);
    return value;
  }

  integer(field: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(field);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw QueryInput.validation(`Invalid value '${text}' for ${field}: it must be an integer`);
    const value = Number(text);
    if (value < range.min) throw constraint(field, text, `Member must have value greater than or equal to ${range.min}`);
    if (value > range.max) throw constraint(field, text, `Member must have value less than or equal to ${range.max}`);
    return value;
  }

  boolean(field: string): boolean | undefined {
    const text = this.string(field);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw QueryInput.validation(`Invalid value '${text}' for ${field}: it must be true or false`);
    return text === 'true';
  }

  enumeration<T extends string>(field: string, values: readonly T[]): T | undefined {
    const text = this.string(field);
    if (text === undefined) return undefined;
    if (!values.includes(text as T)) throw constraint(field, text, `Member must satisfy enum value set: [${values.join(', ')}]`);
    return text as T;
  }

  strings(field: string): string[] | undefined {
    const value = this.params[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw QueryInput.validation(`${field} must be a list of strings`);
    return value as string[];
  }

  /** A list of structures, each read with its own `QueryInput`. */
  structures(field: string, rules: { required?: boolean } = {}): QueryInput[] | undefined {
    const value = this.params[field];
    if (value === undefined) {
      if (rules.required) throw constraint(field, 'null', 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null)) {
      throw QueryInput.validation(`${field} must be a list of structures`);
    }
    return (value as Record<string, unknown>[]).map((item) => new QueryInput(item));
  }

  structure(field: string): QueryInput | undefined {
    const value = this.params[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw QueryInput.validation(`${field} must be a structure`);
    return new QueryInput(value as Record<string, unknown>);
  }
}

/** The model-validation wording, with the field in lower camel case as AWS prints it. */
function constraint(field: string, value: string, rule: string): AwsError {
  const name = field.charAt(0).toLowerCase() + field.slice(1);
  return QueryInput.validation(`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: ${rule}`);
}
