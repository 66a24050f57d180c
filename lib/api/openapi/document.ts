import { componentSchemas } from './components.js';
import { documentOperation, operations, type OperationDoc } from './operations.js';
import type { JsonSchema } from './schema-dialects.js';

type Json = { [key: string]: unknown };

const requestIdHeader = {
  description: 'Names the request (API Gateway\'s request id); errors repeat it as error.requestId.',
  schema: { type: 'string' },
};
const headerDocs: Record<string, Json> = {
  ETag: { description: 'The generation, quoted: "3". Send it back as If-Match to change only that generation.', schema: { type: 'string' } },
  Location: { description: 'Path of the created object.', schema: { type: 'string' } },
};
const nameParameter = {
  name: 'name', in: 'path', required: true,
  description: 'Service or job name: a lowercase DNS label (a-z, 0-9, "-"), at most 63 characters; a secret name for /secrets.',
  schema: { type: 'string' },
};
const ifMatchParameter = {
  name: 'If-Match', in: 'header', required: false,
  description: 'An ETag ("3"): the change applies only if the object is still at that generation (else 412).',
  schema: { type: 'string' },
};

function operationObject(op: OperationDoc): Json {
  const parameters = [
    ...(op.path.includes('{name}') ? [nameParameter] : []),
    ...(op.ifMatch ? [ifMatchParameter] : []),
    ...(op.query ?? []).map((query) => ({ name: query.name, in: 'query', required: false, description: query.description, schema: query.schema })),
  ];
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        headers: {
          'x-request-id': requestIdHeader,
          ...Object.fromEntries((response.headers ?? []).map((name) => [name, { ...headerDocs[name], required: true }])),
        },
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${response.schema}` } } },
      },
    ]),
  );
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body.schema}` } } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the whole API, built from the operation table and the very
 * schemas the handler validates with. `npm run openapi` writes it to schema/openapi.json.
 */
export function openApiDocument(version: string): Json {
  const paths: Record<string, Json> = {};
  for (const op of [...operations, documentOperation]) {
    paths[op.path] = { ...paths[op.path], [op.method.toLowerCase()]: operationObject(op) };
  }
  const schemas: Record<string, JsonSchema> = {
    ...componentSchemas(),
    OpenApiDocument: { type: 'object', required: ['openapi', 'info', 'paths'] },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Corral API',
      version,
      description:
        'Desired state of Corral services and jobs. On AWS every route needs SigV4 (IAM auth, service execute-api); ' +
        'in local mode (npm start) no authentication. Errors are {"error": {"code", "message", "details": [{"field", "message"}], "requestId"}}; no input answers 5xx.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'local mode (npm start)' }],
    tags: [
      { name: 'services', description: 'Long-running services and their rollouts' },
      { name: 'jobs', description: 'Singleton scheduled jobs' },
      { name: 'secrets', description: 'Secret rotation' },
      { name: 'meta', description: 'About the API itself' },
    ],
    // SigV4 on AWS; nothing in local mode.
    security: [{ sigv4: [] }, {}],
    paths,
    components: { schemas, securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'AWS Signature Version 4 (service execute-api).' } } },
  };
}
