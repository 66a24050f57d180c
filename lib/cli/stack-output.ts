import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/**
 * The `ApiUrl` output of a deployed Corral stack, or undefined when the stack has none.
 * Throws the SDK's error when the stack does not exist or AWS cannot be asked (no credentials).
 */
export async function lookupStackApiUrl(stackName: string): Promise<string | undefined> {
  const client = new CloudFormationClient({});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'ApiUrl')?.OutputValue;
  } finally {
    client.destroy();
  }
}
