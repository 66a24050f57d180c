import type { FieldError } from './field-error.js';

/**
 * Service and job names are lowercase DNS labels (RFC 1123), as Kubernetes object names: they
 * end up in ECS `startedBy` and `group` values and in URLs, so they stay short and plain.
 */
export const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const NAME_MAX_LENGTH = 63;

/** Problems with a service name taken from the URL path; [] when it is valid. */
export function validateServiceName(name: unknown): FieldError[] {
  return validateName(name);
}

/** Problems with a job name taken from the URL path; [] when it is valid. */
export function validateJobName(name: unknown): FieldError[] {
  return validateName(name);
}

function validateName(name: unknown): FieldError[] {
  if (typeof name !== 'string' || name.length === 0) {
    return [{ field: 'name', message: 'is required' }];
  }
  if (name.length > NAME_MAX_LENGTH) {
    return [{ field: 'name', message: `must be at most ${NAME_MAX_LENGTH} characters (got ${name.length})` }];
  }
  if (!NAME_PATTERN.test(name)) {
    return [
      {
        field: 'name',
        message: 'must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit',
      },
    ];
  }
  return [];
}
