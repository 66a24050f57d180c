import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupStackApiUrl } from '../../lib/cli/stack-output.js';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

describe('lookupStackApiUrl', () => {
  it('reads the ApiUrl output of the named stack', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Corral' }).resolves({
      Stacks: [
        {
          StackName: 'Corral',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(0),
          Outputs: [
            { OutputKey: 'TableName', OutputValue: 'corral-table' },
            { OutputKey: 'ApiUrl', OutputValue: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/' },
          ],
        },
      ],
    });
    expect(await lookupStackApiUrl('Corral')).toBe('https://abc123.execute-api.us-east-1.amazonaws.com/prod/');
  });

  it('is undefined for a stack without that output', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Corral', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(0), Outputs: [] }],
    });
    expect(await lookupStackApiUrl('Corral')).toBeUndefined();
  });

  it('passes on the error for a stack that does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Stack with id Nope does not exist'));
    await expect(lookupStackApiUrl('Nope')).rejects.toThrow('Stack with id Nope does not exist');
  });
});
