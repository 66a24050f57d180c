import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSelection } from './aws-identity.js';

/**
 * The `ApiUrl` output of a deployed Corral stack, or undefined when the stack has none.
 * Throws the SDK's error when the stack does not exist or AWS cannot be asked (no credentials).
 */
export async function lookupStackApiUrl(stackName: string, selection: AwsSelection = {}): Promise<string | undefined> {
  const client = new CloudFormationClient({
    ...(selection.profile ? { profile: selection.profile } : {}),
    ...(selection.region ? { region: selection.region } : {}),
  });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'ApiUrl')?.OutputValue;
  } finally {
    client.destroy();
  }
}
