import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeSecretCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RotationEvent } from '../../lib/local/aws/index.js';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { type Harness, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const aws = (...args: string[]): Promise<CliResult> => awsCli(h.aws.url, ...args);

const networkConfiguration = 'awsvpcConfiguration={subnets=[subnet-local],assignPublicIp=DISABLED}';

// Each CLI call costs about half a second of Python start-up, so the three services run concurrently
// and independent calls within a test go out together.
describe.concurrent('AWS CLI v2 against the endpoint', () => {
  test('ECS: run-task, describe-tasks, list-tasks with paging, stop-task, and the errors', async () => {
    await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));

    const ran = await aws(
      'ecs', 'run-task', '--cluster', 'corral', '--task-definition', 'web', '--count', '5',
      '--started-by', 'cli', '--network-configuration', networkConfiguration, '--tags', 'key=via,value=cli',
    );
    expect(ran.code).toBe(0);
    expect(ran.json.failures).toEqual([]);
    const arns: string[] = ran.json.tasks.map((t: { taskArn: string }) => t.taskArn);
    expect(arns).toHaveLength(5);
    expect(ran.json.tasks[0]).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', group: 'family:web', startedBy: 'cli' });

    await h.bus.runFor(h.clock, 30_000);
    const unknown = 'arn:aws:ecs:us-east-1:000000000000:task/corral/00000000000000000000000000000000';
    const [described, listed, stopUnknown, tooMany] = await Promise.all([
      aws('ecs', 'describe-tasks', '--cluster', 'corral', '--tasks', arns[0], unknown, '--include', 'TAGS'),
      // --page-size makes the CLI follow nextToken page by page and merge the pages.
      aws('ecs', 'list-tasks', '--cluster', 'corral', '--started-by', 'cli', '--page-size', '2'),
      aws('ecs', 'stop-task', '--cluster', 'corral', '--task', 'nope'),
      aws('ecs', 'run-task', '--cluster', 'corral', '--task-definition', 'web', '--count', '11', '--network-configuration', networkConfiguration),
    ]);
    expect(described.json.tasks).toHaveLength(1);
    expect(described.json.tasks[0]).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'HEALTHY', tags: [{ key: 'via', value: 'cli' }] });
    expect(typeof described.json.tasks[0].startedAt).toBe('string');
    expect(described.json.failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
    expect([...listed.json.taskArns].sort()).toEqual([...arns].sort());
    expect(stopUnknown.code).not.toBe(0);
    expect(stopUnknown.stderr).toContain('An error occurred (InvalidParameterException) when calling the StopTask operation: The referenced task was not found.');
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain('(InvalidParameterException) when calling the RunTask operation');

    const stopped = await aws('ecs', 'stop-task', '--cluster', 'corral', '--task', arns[0], '--reason', 'cli says stop');
    expect(stopped.json.task).toMatchObject({ desiredStatus: 'STOPPED', stoppedReason: 'cli says stop' });
    await h.bus.runFor(h.clock, 10_000);
    const stoppedList = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', desiredStatus: 'STOPPED' }));
    expect(stoppedList.taskArns).toEqual([arns[0]]);
  });

  test('Secrets Manager: create, get, put, rotate', async () => {
    const rotated: RotationEvent['Step'][] = [];
    h.aws.setRotationHandler('cli-rotation', async (event) => {
      rotated.push(event.Step);
      if (event.Step === 'createSecret') {
        await h.secrets.send(
          new PutSecretValueCommand({
            SecretId: event.SecretId,
            ClientRequestToken: event.ClientRequestToken,
            SecretString: 'from-rotation',
            VersionStages: ['AWSPENDING'],
          }),
        );
      }
      if (event.Step === 'finishSecret') {
        const described = await h.secrets.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
        const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
        await h.secrets.send(
          new UpdateSecretVersionStageCommand({ SecretId: event.SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: event.ClientRequestToken, RemoveFromVersionId: current }),
        );
      }
    });
    const created = await aws('secretsmanager', 'create-secret', '--name', 'cli/secret', '--secret-string', 'first');
    expect(created.json.ARN).toMatch(/:secret:cli\/secret-[A-Za-z0-9]{6}$/);
    const put = await aws('secretsmanager', 'put-secret-value', '--secret-id', 'cli/secret', '--secret-string', 'second');
    expect(put.json.VersionStages).toEqual(['AWSCURRENT']);
    const got = await aws('secretsmanager', 'get-secret-value', '--secret-id', created.json.ARN);
    expect(got.json).toMatchObject({ Name: 'cli/secret', SecretString: 'second', VersionStages: ['AWSCURRENT'] });

    const rotation = await aws(
      'secretsmanager', 'rotate-secret', '--secret-id', 'cli/secret',
      '--rotation-lambda-arn', 'arn:aws:lambda:us-east-1:000000000000:function:cli-rotation',
      '--rotation-rules', 'AutomaticallyAfterDays=7',
    );
    expect(rotation.code).toBe(0);
    await h.bus.idle();
    expect(rotated).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    const [afterRotation, missing] = await Promise.all([
      aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/secret'),
      aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/none'),
    ]);
    expect(afterRotation.json).toMatchObject({ SecretString: 'from-rotation', VersionId: rotation.json.VersionId });
    expect(rotation.json).toMatchObject({ ARN: created.json.ARN, Name: 'cli/secret' });
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the GetSecretValue operation');
  });

  test('DynamoDB: put, get and a conditional failure', async () => {
    await h.dynamo.send(
      new CreateTableCommand({
        TableName: 'cli',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const item = JSON.stringify({ pk: { S: 'a' }, n: { N: '1' } });
    expect((await aws('dynamodb', 'put-item', '--table-name', 'cli', '--item', item)).code).toBe(0);
    const [got, conditional] = await Promise.all([
      aws('dynamodb', 'get-item', '--table-name', 'cli', '--key', '{"pk":{"S":"a"}}'),
      aws('dynamodb', 'put-item', '--table-name', 'cli', '--item', item, '--condition-expression', 'attribute_not_exists(pk)'),
    ]);
    expect(got.json.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
    expect(conditional.code).not.toBe(0);
    expect(conditional.stderr).toContain('(ConditionalCheckFailedException) when calling the PutItem operation');
  });

  test('DynamoDB: describe-table shows the stream every local table has', async () => {
    const created = await aws(
      'dynamodb', 'create-table', '--table-name', 'cli-streamed', '--billing-mode', 'PAY_PER_REQUEST',
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', '--key-schema', 'AttributeName=pk,KeyType=HASH',
      '--stream-specification', 'StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES',
    );
    expect(created.code).toBe(0);
    const described = await aws('dynamodb', 'describe-table', '--table-name', 'cli-streamed');
    const table = described.json.Table;
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.LatestStreamLabel).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(table.LatestStreamArn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/cli-streamed/stream/${table.LatestStreamLabel}`);
    expect(created.json.TableDescription.LatestStreamArn).toBe(table.LatestStreamArn);
  });

  test('DynamoDB: transact-write-items commits or cancels with reasons, transact-get-items and batch-get-item read', async () => {
    await h.dynamo.send(
      new CreateTableCommand({
        TableName: 'cli-tx',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const check = (token: string) => ({
      ConditionCheck: {
        TableName: 'cli-tx',
        Key: { pk: { S: 'lease' } },
        ConditionExpression: 'attribute_not_exists(pk) OR #t = :t',
        ExpressionAttributeNames: { '#t': 'token' },
        ExpressionAttributeValues: { ':t': { N: token } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    const committed = await aws('dynamodb', 'transact-write-items', '--transact-items', JSON.stringify([
      { Put: { TableName: 'cli-tx', Item: { pk: { S: 'lease' }, token: { N: '2' } } } },
      { Put: { TableName: 'cli-tx', Item: { pk: { S: 'status' }, phase: { S: 'Available' } } } },
    ]));
    expect(committed.code).toBe(0);
    const [cancelled, twice, got, batch] = await Promise.all([
      aws('dynamodb', 'transact-write-items', '--transact-items', JSON.stringify([
        check('1'),
        { Delete: { TableName: 'cli-tx', Key: { pk: { S: 'status' } } } },
      ])),
      aws('dynamodb', 'transact-write-items', '--transact-items', JSON.stringify([
        { Put: { TableName: 'cli-tx', Item: { pk: { S: 'x' } } } },
        { Delete: { TableName: 'cli-tx', Key: { pk: { S: 'x' } } } },
      ])),
      aws('dynamodb', 'transact-get-items', '--transact-items', JSON.stringify([
        { Get: { TableName: 'cli-tx', Key: { pk: { S: 'status' } } } },
        { Get: { TableName: 'cli-tx', Key: { pk: { S: 'lease' } } } },
      ])),
      aws('dynamodb', 'batch-get-item', '--request-items', JSON.stringify({ 'cli-tx': { Keys: [{ pk: { S: 'status' } }, { pk: { S: 'none' } }] } })),
    ]);
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stderr).toContain('(TransactionCanceledException) when calling the TransactWriteItems operation');
    expect(cancelled.stderr).toContain('[ConditionalCheckFailed, None]');
    expect(twice.stderr).toContain('(ValidationException) when calling the TransactWriteItems operation: Transaction request cannot include multiple operations on one item');
    // The cancelled delete left the status in place.
    expect(got.json.Responses).toEqual([{ Item: { pk: { S: 'status' }, phase: { S: 'Available' } } }, { Item: { pk: { S: 'lease' }, token: { N: '2' } } }]);
    expect(batch.json.Responses['cli-tx']).toEqual([{ pk: { S: 'status' }, phase: { S: 'Available' } }]);
  });
});
