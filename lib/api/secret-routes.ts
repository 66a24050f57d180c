import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { SecretStore } from '../aws/secret-store.js';
import { isManagedSecret, managedSecretTag, tagCommand } from '../core/managed-secrets.js';
import { SecretAccessDeniedError, SecretInvalidRequestError, SecretNotFoundError, SecretStoreError } from '../aws/secret-errors.js';
import type { SecretDescription } from '../aws/secret-store.js';
import type { StateStore } from '../aws/state-store.js';
import { consumersOf } from '../aws/consumer-restarter.js';
import { ApiError, ConflictApiError, NotFoundApiError, ValidationError } from './errors.js';
import { json, parseJsonBody, pathName } from './http.js';
import type { Route } from './service-routes.js';

/** Secrets Manager's secret-name alphabet and length. */
const secretNamePattern = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

function secretName(event: APIGatewayProxyEvent): string {
  const name = pathName(event);
  if (!secretNamePattern.test(name)) {
    throw new ValidationError([{ field: 'name', message: 'must be 1-512 characters of letters, digits and /_+=.@-' }]);
  }
  return name;
}

/**
 * 403 for a secret Corral may not touch. In AWS, IAM refuses DescribeSecret on it (the API's
 * policy is conditioned on the tag); locally the tag check says the same thing.
 */
function notManaged(name: string, options?: { cause?: unknown }): ApiError {
  return new ApiError(
    403,
    'SecretNotManaged',
    `secret ${name} is not tagged ${managedSecretTag.key}=${managedSecretTag.value} (or does not exist), so Corral may not describe or rotate it; tag it with: ${tagCommand(name)}`,
    [{ field: 'name', message: `is not a secret tagged ${managedSecretTag.key}=${managedSecretTag.value}` }],
    options,
  );
}

async function describeManaged(secrets: SecretStore, name: string): Promise<SecretDescription> {
  const secret = await translateSecretErrors(name, () => secrets.describe(name));
  if (!isManagedSecret(secret.tags)) throw notManaged(name);
  return secret;
}

async function translateSecretErrors<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SecretNotFoundError) throw new NotFoundApiError(`secret ${name} not found`, { cause: error });
    if (error instanceof SecretAccessDeniedError) throw notManaged(name, { cause: error });
    if (error instanceof SecretInvalidRequestError) throw new ConflictApiError(error.message, { cause: error });
    if (error instanceof SecretStoreError) throw new ApiError(400, error.name, error.message, [], { cause: error });
    throw error;
  }
}

/**
 * `GET /secrets/{name}` (rotation dates and consumers, never the value) and
 * `POST /secrets/{name}/rotate` (start a rotation now with Corral's rotation function), for
 * secrets tagged corral:managed=true only (403 otherwise).
 */
export function secretRoutes(deps: { secrets: SecretStore; store: StateStore; rotationFunctionArn?: string }): Route[] {
  return [
    {
      method: 'GET', path: '/secrets/{name}',
      handler: async (event) => {
        const name = secretName(event);
        const secret = await describeManaged(deps.secrets, name);
        return json(200, {
          name: secret.name,
          arn: secret.arn,
          rotationEnabled: secret.rotationEnabled,
          ...(secret.rotationRules ? { rotationRules: secret.rotationRules } : {}),
          ...(secret.lastRotatedAt ? { lastRotatedAt: new Date(secret.lastRotatedAt).toISOString() } : {}),
          ...(secret.nextRotationAt ? { nextRotationAt: new Date(secret.nextRotationAt).toISOString() } : {}),
          consumers: await consumersOf(deps.store, secret.arn),
        });
      },
    },
    {
      method: 'POST', path: '/secrets/{name}/rotate',
      handler: async (event) => {
        const name = secretName(event);
        parseJsonBody(event, { optional: true });
        const secret = await describeManaged(deps.secrets, name);
        const rotationFunction = secret.rotationLambdaArn ?? deps.rotationFunctionArn;
        if (!rotationFunction) throw new ConflictApiError(`secret ${name} has no rotation function; attach Corral's rotation to it first`);
        const started = await translateSecretErrors(name, () => deps.secrets.rotateNow(name, secret.rotationLambdaArn ? undefined : rotationFunction));
        return json(202, { name: secret.name, ...(started.versionId ? { versionId: started.versionId } : {}), consumers: await consumersOf(deps.store, secret.arn) });
      },
    },
  ];
}
