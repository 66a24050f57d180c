import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The AWS CLI v2 from Debian's awscli package; called by path because an older v1 `aws` may come
 * first on PATH.
 */
export const awsCliPath = '/usr/bin/aws';
const run = promisify(execFile);

export interface CliResult {
  code: number;
  json: Record<string, any>;
  stderr: string;
}

/** Runs `aws --endpoint-url <endpoint> --output json ...args` with test credentials and no config files. */
export function awsCli(endpoint: string, ...args: string[]): Promise<CliResult> {
  return awsCliWithEnv(endpoint, args, {});
}

/** `awsCli` with extra environment variables (e.g. HTTP_PROXY, AWS_MAX_ATTEMPTS). */
export async function awsCliWithEnv(endpoint: string, args: string[], extraEnv: Record<string, string>): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '2',
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(awsCliPath, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
    return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : {}, stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: failure.code ?? -1, json: {}, stderr: failure.stderr ?? String(error) };
  }
}
