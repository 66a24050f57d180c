import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** The response header that names the request, next to API Gateway's own `x-amzn-RequestId`. */
export const requestIdHeader = 'x-request-id';

/**
 * The id of a request is API Gateway's `requestContext.requestId` (local mode's server makes one
 * the same way), so a user's error report, the access log and the Lambda's log lines agree.
 */
export function requestIdOf(event: APIGatewayProxyEvent): string {
  return event.requestContext?.requestId ?? '';
}

/**
 * Gives a request without an id one (a direct invocation has none) and puts `x-request-id` on
 * every answer, errors included: registered first, its `after` and `onError` run last.
 */
export function requestIdResponseHeader(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const stamp = async (request: { event: APIGatewayProxyEvent; response: APIGatewayProxyResult | null | undefined }) => {
    if (!request.response) return;
    request.response.headers = { ...request.response.headers, [requestIdHeader]: requestIdOf(request.event) };
  };
  return {
    before: async (request) => {
      if (requestIdOf(request.event)) return;
      request.event.requestContext = { ...request.event.requestContext, requestId: randomUUID() };
    },
    after: stamp,
    onError: stamp,
  };
}
