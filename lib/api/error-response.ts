import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { ApiError } from './errors.js';
import { json } from './http.js';
import { requestIdOf } from './request-id.js';

/**
 * Renders errors in the contract's shape. ApiErrors are the caller's fault and keep their 4xx;
 * anything else is logged (name and message only, never request bodies) and answers 500. Each
 * names the request (`requestId`), so a user's report can be matched to the log lines.
 */
export function errorResponse(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      const requestId = requestIdOf(request.event);
      if (error instanceof ApiError) {
        logger.info('request rejected', { statusCode: error.statusCode, code: error.code, details: error.details });
        request.response = json(error.statusCode, {
          error: { code: error.code, message: error.message, details: error.details, requestId },
        });
        return;
      }
      logger.error('request failed', { errorName: (error as Error)?.name, errorMessage: (error as Error)?.message });
      request.response = json(500, { error: { code: 'InternalError', message: 'internal error; the logs have the details under this requestId', details: [], requestId } });
    },
  };
}
