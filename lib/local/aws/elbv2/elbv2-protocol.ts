import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { queryErrorResponse, queryResponse, type QueryRequest } from '../query-protocol.js';
import { type Elbv2Emulator, elbv2Namespace } from './elbv2-emulator.js';

export const elbv2QueryVersion = '2015-12-01';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Elastic Load Balancing v2 speaks only the Query protocol, to SDK v3 and the CLI alike: form
 * parameters in, XML out, failures as an `ErrorResponse`. `onServerError` hears of the emulator's
 * own failures (answered 500), which are bugs to report rather than the caller's fault.
 */
export function serveElbv2Query(elbv2: Elbv2Emulator, request: QueryRequest, onServerError: (error: AwsError) => void): Answer {
  const requestId = randomUUID();
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  try {
    return { status: 200, headers, body: queryResponse(request.action, elbv2Namespace, elbv2.handle(request.action, request.parameters), requestId) };
  } catch (error) {
    const failure = error instanceof AwsError ? error : new AwsError('InternalFailure', 'The local emulator failed to handle the request.', 500, { cause: error });
    if (failure.status >= 500) onServerError(failure);
    return { status: failure.status, headers, body: queryErrorResponse(failure, elbv2Namespace, requestId) };
  }
}
