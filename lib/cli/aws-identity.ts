import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { MissingCredentialsError } from './errors.js';
import type { SigningCredentials } from './signing.js';

/** `abc123.execute-api.eu-west-1.amazonaws.com` → `eu-west-1`. */
export function regionFromExecuteApiHost(hostname: string): string | undefined {
  return /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1];
}

/** `--profile` and `--region` (or a context's), which win over the environment's. */
export interface AwsSelection {
  profile?: string;
  region?: string;
}

/**
 * The region to sign for. An execute-api host names its region, and a signature for any other
 * region is always rejected, so the host wins; then `--region`; otherwise AWS_REGION,
 * AWS_DEFAULT_REGION (the AWS CLI's variable, which the JS SDK does not read) and the shared
 * config profile, as the SDK does.
 */
export async function resolveRegion(hostname: string, env: NodeJS.ProcessEnv, selection: AwsSelection = {}): Promise<string> {
  const fromHost = regionFromExecuteApiHost(hostname);
  if (fromHost) return fromHost;
  if (selection.region) return selection.region;
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv && !selection.profile) return fromEnv;
  const fromProfile = await regionFromSharedConfig(selection.profile);
  if (fromProfile) return fromProfile;
  if (fromEnv) return fromEnv;
  if (fromProfile) return fromProfile;
  throw new MissingCredentialsError(
    `no AWS region to sign requests to ${hostname}: set AWS_REGION or a region in your AWS profile`,
  );
}

/** The SDK's own region chain (env, then the profile in ~/.aws/config), loaded only when needed. */
async function regionFromSharedConfig(profile: string | undefined): Promise<string | undefined> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(profile ? { profile } : {});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/**
 * The standard credential chain (env, SSO, profiles, process, web identity, container, IMDS),
 * resolved once; an empty chain becomes a MissingCredentialsError that says what to do.
 */
export function credentialProvider(profile?: string): SigningCredentials {
  const chain = fromNodeProviderChain(profile ? { profile } : {});
  let resolved: ReturnType<typeof chain> | undefined;
  return () => {
    resolved ??= chain().catch((error: unknown) => {
      throw new MissingCredentialsError(
        'no AWS credentials found to sign the request (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
          `or run "aws sso login"): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
    return resolved;
  };
}
