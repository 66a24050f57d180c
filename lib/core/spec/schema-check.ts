import type { AnySchemaObject, ErrorObject } from 'ajv';
import { closestMatch } from '../suggest.js';
import { fieldPath, type FieldError } from './field-error.js';
import type { CompiledValidator } from './generated/validators.js';

/**
 * Checks `data` with a validator compiled at build time (bin/generate-validators.ts: defaults
 * filled in, every error reported, each error carrying its schema), filling its defaults in
 * place; [] when it conforms. `errorMessage` in a schema is the message for a value it rejects:
 * the keyword VS Code's JSON editor shows for a failed property, so users see the same words.
 */
export function checkWith(validate: CompiledValidator, data: unknown): FieldError[] {
  return validate(data) ? [] : toFieldErrors(validate.errors ?? [], data);
}

/** One message per field: the schema's own errorMessage when it has one, else Ajv's. */
function toFieldErrors(errors: readonly ErrorObject[], data: unknown): FieldError[] {
  const byField = new Map<string, { preferred?: string; fallback: string }>();
  const note = (field: string, preferred: string | undefined, fallback: string) => {
    const seen = byField.get(field);
    if (seen === undefined) byField.set(field, { preferred, fallback });
    else if (seen.preferred === undefined) seen.preferred = preferred;
  };
  for (const error of errors) {
    const at = fieldOf(error.instancePath, data);
    switch (error.keyword) {
      case 'required': {
        const name = String(error.params.missingProperty);
        note(fieldPath(at, name), 'is required', 'is required');
        break;
      }
      case 'additionalProperties': {
        const name = String(error.params.additionalProperty);
        const known = Object.keys((error.parentSchema?.properties ?? {}) as object);
        note(fieldPath(at, name), unknownFieldMessage(name, known), 'is not a known field');
        break;
      }
      case 'propertyNames':
        // Ajv also reports the failing name's own error, with `propertyName` set; that one
        // carries the useful message.
        break;
      default: {
        const field = error.propertyName === undefined ? at : fieldPath(at, error.propertyName);
        note(field, messageOf(error.parentSchema), error.message ?? 'is invalid');
      }
    }
  }
  return [...byField].map(([field, m]) => ({ field, message: m.preferred ?? m.fallback }));
}

function messageOf(schema: AnySchemaObject | undefined): string | undefined {
  const message: unknown = schema?.errorMessage;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Turns a JSON pointer ("/command/1", "/environment/A~1B") into a field path, walking the data
 * to tell array indices from object keys that happen to be digits.
 */
function fieldOf(pointer: string, data: unknown): string {
  if (pointer === '') return '';
  let field = '';
  let here: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(here)) {
      field = fieldPath(field, Number(key));
      here = here[Number(key)];
    } else {
      field = fieldPath(field, key);
      here = typeof here === 'object' && here !== null ? (here as Record<string, unknown>)[key] : undefined;
    }
  }
  return field;
}

/** Suggests a known field within two edits of the unknown one, or one it abbreviates ("interval"). */
function unknownFieldMessage(name: string, known: readonly string[]): string {
  const close = closestMatch(name, known);
  return close === undefined ? 'is not a known field' : `is not a known field; did you mean "${close}"?`;
}
