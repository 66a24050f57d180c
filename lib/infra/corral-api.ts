import { Names, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { requestSchemas, type RequestSchemaName } from '../api/openapi/components.js';
import { operations } from '../api/openapi/operations.js';
import { toGatewayModelSchema } from '../api/openapi/schema-dialects.js';
import { apiRoutes, pathParameters } from './api-routes.js';
import type { CorralApiThrottling } from './corral-props.js';
import { corralLogGroup, type LogSettings } from './log-settings.js';

export interface CorralApiProps {
  readonly handler: lambda.IFunction;
  readonly throttling: Required<CorralApiThrottling>;
  /** Retention, key and removal policy of the access log group. */
  readonly logs: LogSettings;
}

/**
 * Gateway-made errors (missing signature, throttled, body over API Gateway's 10 MB) in the
 * contract's error shape, so clients parse one format whoever answered; `requestId` is API
 * Gateway's (its `x-amzn-RequestId` header), the one the handler puts in `x-request-id`.
 * `$context.error.messageString` is already a quoted JSON string.
 */
const errorTemplate = {
  'application/json':
    '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"details":[],"requestId":"$context.requestId"}}',
};

/**
 * A body the gateway's model refuses, as the handler's 400: code ValidationError, and the
 * validator's own words as the one detail (it names the schema path, not our field paths).
 */
const invalidBodyTemplate = {
  'application/json':
    '{"error":{"code":"ValidationError","message":$context.error.messageString,' +
    '"details":[{"field":"","message":"$util.escapeJavaScript($context.error.validationErrorString)"}],"requestId":"$context.requestId"}}',
};

/**
 * The REST API (v1: it deploys on LocalStack's free tier too) in front of the API Lambda.
 *
 * Every method requires SigV4 (AWS_IAM). API Gateway checks the path parameters and, for the
 * routes whose body is required, the body against a model made from the very schema the handler
 * validates with (draft-04, as API Gateway reads it, never stricter: lib/api/openapi/
 * schema-dialects.ts), so a malformed body never reaches the Lambda; the handler checks again
 * and is the one that names each bad field. Optional bodies (rollback, pause) are left to the
 * handler: a model would refuse the empty body. API Gateway REST caps bodies at 10 MB; the
 * handler answers 413 above 64 KiB.
 */
export class CorralApi extends Construct {
  readonly restApi: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CorralApiProps) {
    super(scope, id);
    this.accessLogs = corralLogGroup(this, 'AccessLogs', props.logs);
    this.restApi = new apigateway.RestApi(this, 'Api', {
      // Unique in the account and Region: its metrics (dimension ApiName) are this API's alone.
      restApiName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: 'Corral desired-state API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Execution logging needs the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Request and response bodies never reach the logs.
        dataTraceEnabled: false,
        tracingEnabled: true,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    });
    // The stack publishes the URL as `ApiUrl`; RestApi's own `Endpoint` output would repeat it.
    this.restApi.node.tryRemoveChild('Endpoint');
    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason: 'Callers are AWS principals authenticated by SigV4 (AWS_IAM on every method), not Cognito users.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Every method requires SigV4, so unsigned traffic is refused before any integration runs, and the stage is throttled; a web ACL would add cost, not protection.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "The AWS managed policy is the one AWS documents for API Gateway's account-wide CloudWatch Logs role.",
      },
    );
    this.restApi.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, templates: errorTemplate });
    this.restApi.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, templates: errorTemplate });
    this.restApi.addGatewayResponse('InvalidBody', { type: apigateway.ResponseType.BAD_REQUEST_BODY, templates: invalidBodyTemplate });

    const validator = this.restApi.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const models = new Map<RequestSchemaName, apigateway.IModel>();
    const bodyModel = (method: string, path: string): Record<string, apigateway.IModel> | undefined => {
      const body = operations.find((op) => op.method === method && op.path === path)?.body;
      if (!body?.required) return undefined;
      let model = models.get(body.schema);
      if (!model) {
        model = this.restApi.addModel(`${body.schema}Model`, {
          contentType: 'application/json',
          modelName: body.schema,
          schema: toGatewayModelSchema(requestSchemas[body.schema]) as apigateway.JsonSchema,
        });
        models.set(body.schema, model);
      }
      return { 'application/json': model };
    };
    // One invoke permission for the whole API instead of one per method.
    const integration = new apigateway.LambdaIntegration(props.handler, { proxy: true, scopePermissionToMethod: false });

    for (const route of apiRoutes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const requestParameters = Object.fromEntries(
        pathParameters(route.path).map((name) => [`method.request.path.${name}`, true]),
      );
      const requestModels = bodyModel(route.method, route.path);
      resource.addMethod(route.method, integration, {
        authorizationType: apigateway.AuthorizationType.IAM,
        requestValidator: validator,
        requestParameters,
        ...(requestModels ? { requestModels } : {}),
      });
    }
  }

  get url(): string {
    return this.restApi.url;
  }
}
