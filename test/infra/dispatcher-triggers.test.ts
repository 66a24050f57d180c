import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthCorral, type SynthesizedCorral } from './synth-corral.js';

describe('the dispatcher triggers', () => {
  let corral: SynthesizedCorral;
  let dispatcher: string;
  let wakeUps: string;
  beforeAll(() => {
    corral = synthCorral();
    dispatcher = corral.stack.getLogicalId(corral.stack.corral.functions.dispatcher.function.node.defaultChild as never);
    wakeUps = corral.stack.getLogicalId(corral.stack.corral.queues.wakeUps.node.defaultChild as never);
  });

  it('consume the wake-up queue one message at a time, and let the dispatcher alone send to it', () => {
    corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: dispatcher },
      EventSourceArn: { 'Fn::GetAtt': [wakeUps, 'Arn'] },
      BatchSize: 1,
    });
    corral.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WAKE_UP_QUEUE_URL: { Ref: wakeUps } }) },
    });
    const senders = Object.values(corral.template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('sqs:SendMessage') && JSON.stringify(policy).includes(`"${wakeUps}"`),
    );
    expect(senders).toHaveLength(1);
    expect(JSON.stringify(senders[0])).toContain('Dispatcher');
  });

  it('send job task state changes, and only those, to the dispatcher', () => {
    corral.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { startedBy: [{ prefix: 'corral-job/' }] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [dispatcher, 'Arn'] } })],
    });
  });

  it('read job spec changes, and only those, from the table stream', () => {
    const table = corral.stack.getLogicalId(corral.stack.corral.table.table.node.defaultChild as never);
    corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: dispatcher },
      EventSourceArn: { 'Fn::GetAtt': [table, 'StreamArn'] },
      StartingPosition: 'LATEST',
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { pk: { S: [{ prefix: 'job#' }] }, sk: { S: ['spec'] } } } }) }],
      },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});
