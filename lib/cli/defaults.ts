/** Every default the CLI uses, in one place. */
export const CLI_DEFAULTS = {
  /** CloudFormation stack whose `ApiUrl` output names the deployed API. */
  stackName: 'Corral',
  /** Where `npm start` serves the Corral API. */
  localEndpoint: 'http://127.0.0.1:3000',
  /** How long to wait for the TCP (and TLS) connection before calling an endpoint unreachable. */
  connectTimeoutMs: 3_000,
  /** How long a connected request may take in total. */
  requestTimeoutMs: 30_000,
  /** How long the local-mode probe waits: it only has to find a listener on loopback. */
  localProbeTimeoutMs: 500,
  /** `rollout status` gives up after this long (exit 3). */
  rolloutTimeout: '10m',
  /** `rollout status` polls this often. */
  rolloutInterval: '2s',
  /** How many events `describe` shows. */
  describeEvents: 10,
  /** Output format when `-o` is not given. */
  output: 'table',
  /** Idempotent requests that meet a 429 or 5xx are repeated this often, backing off (lib/cli/retry.ts). */
  retry: { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
  /** `get --watch` looks this often. */
  watchInterval: '2s',
  /** `logs --follow` looks this often. */
  followInterval: '1s',
  /** Log groups of services' tasks: `<prefix><service>` (lib/infra/defaults.ts sets the same). */
  serviceLogGroupPrefix: '/corral/services/',
  /** Local mode's AWS-compatible endpoint port, next to the API on 3000. */
  localAwsPort: 4566,
  /** SigV4 signing name of API Gateway. */
  signingService: 'execute-api',
} as const;

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** API error, bad file, unreachable endpoint, missing credentials, bad usage. */
  error: 1,
  /** `rollout status` saw the rollout end Failed or RolledBack. */
  rolloutFailed: 2,
  /** `rollout status` ran out of time. */
  timeout: 3,
  /** `rollout status` found the rollout paused: it will not finish until resumed. */
  paused: 4,
} as const;
