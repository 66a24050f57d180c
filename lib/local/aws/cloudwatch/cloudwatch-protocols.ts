import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { coerce, type LeafTypes, queryErrorResponse, queryResponse, type QueryRequest } from '../query-protocol.js';
import type { AlarmsEmulator } from './alarms-emulator.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const namespace = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
export const cloudWatchQueryVersion = '2010-08-01';
/** SDK v3 speaks AWS JSON 1.0 to CloudWatch, in its Query-compatible mode. */
export const cloudWatchJsonTarget = 'GraniteServiceVersion20100801';

/** The leaves the CloudWatch model types as numbers or booleans, which the Query protocol sends as strings. */
const leafTypes: LeafTypes = {
  integers: new Set(['EvaluationPeriods', 'DatapointsToAlarm', 'Period', 'MaxRecords']),
  doubles: new Set(['Threshold']),
  booleans: new Set(['ActionsEnabled', 'ReturnData']),
};

/** A Query request (the AWS CLI v2): form parameters in, XML out, errors as `ErrorResponse`. */
export function serveCloudWatchQuery(alarms: AlarmsEmulator, request: QueryRequest): Answer {
  const requestId = randomUUID();
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  try {
    const result = alarms.handle(request.action, coerce(request.parameters, leafTypes));
    return { status: 200, headers, body: queryResponse(request.action, namespace, result, requestId) };
  } catch (error) {
    const failure = asAwsError(error);
    return { status: failure.status, headers, body: queryErrorResponse(failure, namespace, requestId) };
  }
}

/**
 * An AWS JSON 1.0 request (SDK v3). Times go out as epoch seconds; an error carries its Query code
 * in `x-amzn-query-error` ("Code;Sender"), which is how the SDK's Query-compatible mode names it.
 */
export function serveCloudWatchJson(alarms: AlarmsEmulator, operation: string, body: string): Answer {
  const headers = { 'content-type': 'application/x-amz-json-1.0' };
  try {
    const result = alarms.handle(operation, parseJson(body));
    return { status: 200, headers, body: JSON.stringify(result ?? {}, epochSecondsReplacer) };
  } catch (error) {
    const failure = asAwsError(error);
    const fault = failure.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: failure.status,
      headers: { ...headers, 'x-amzn-query-error': `${failure.type};${fault}` },
      body: JSON.stringify({ __type: failure.type, message: failure.message }),
    };
  }
}

function epochSecondsReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400, { cause: error });
  }
}

function asAwsError(error: unknown): AwsError {
  return error instanceof AwsError ? error : new AwsError('InternalServiceError', 'The local emulator failed to handle the request.', 500, { cause: error });
}
