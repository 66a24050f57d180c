import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { functionEntry, projectRoot } from '../lib/infra/project-paths.js';
import { bundle, packagesOf } from '../test/support/bundles.js';
import { lambdaLikeEnvironment } from '../test/support/lambda-environment.js';

export const functionNames = ['api', 'reconciler', 'dispatcher', 'rotation'] as const;

/** The yardstick: a bundle that builds three SDK clients (DynamoDB, ECS, SQS) and nothing else. */
const referenceSource = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SQSClient } from '@aws-sdk/client-sqs';
export const clients = [new DynamoDBClient({}), new ECSClient({}), new SQSClient({})];
`;

export interface BundleFigures {
  name: string;
  /** Bundled with the construct's `traceAwsCalls` on (the X-Ray SDK) rather than the default. */
  traceAwsCalls: boolean;
  bytes: number;
  /** Packages bundled, by bytes of output, e.g. "@aws-sdk/client-ecs". */
  packages: Record<string, number>;
  importMs: number;
  /** importMs over the reference bundle's, measured in the same run. */
  ratio: number;
}

/** One cold import in a fresh Node process with the Lambda's environment, in CPU milliseconds. */
function importOnce(file: string, traceAwsCalls = false): number {
  // CPU time rather than wall time: on a shared machine other processes stretch the wall clock.
  const script = `const c = process.cpuUsage(); await import(${JSON.stringify(file)}); const d = process.cpuUsage(c); process.stdout.write(String((d.user + d.system) / 1000));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    // NODE_OPTIONS as CorralFunction sets it.
    env: { ...lambdaLikeEnvironment, CORRAL_TRACE_AWS_CALLS: String(traceAwsCalls), PATH: process.env['PATH'], NODE_OPTIONS: '--enable-source-maps' },
  });
  return Number(out);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Import time of each function bundle against the reference, in one run: the rounds interleave
 * every bundle, so machine load shifts all of them alike, and the medians are compared. Each
 * function is bundled as the stack deploys it by default and, with `traced`, also as it is with
 * `traceAwsCalls` (for information: what that option costs).
 */
export async function benchBundles(rounds = 15, traced = true): Promise<{ referenceMs: number; bundles: BundleFigures[] }> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'corral-bench-bundles-'));
  try {
    const reference = await bundle({ stdin: { contents: referenceSource, resolveDir: projectRoot, loader: 'ts' } }, outdir, 'reference');
    const variants = functionNames.flatMap((name) => (traced ? [false, true] : [false]).map((traceAwsCalls) => ({ name, traceAwsCalls })));
    const built = await Promise.all(
      variants.map(async (v) => ({ ...v, ...(await bundle(functionEntry(v.name), outdir, `${v.name}${v.traceAwsCalls ? '-traced' : ''}`, v)) })),
    );
    const referenceTimes: number[] = [];
    const times = built.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      referenceTimes.push(importOnce(reference.file));
      built.forEach((b, i) => times[i]!.push(importOnce(b.file, b.traceAwsCalls)));
    }
    const referenceMs = median(referenceTimes);
    return {
      referenceMs,
      bundles: built.map((b, i) => {
        const packages = packagesOf(b.metafile);
        const importMs = median(times[i]!);
        return { name: b.name, traceAwsCalls: b.traceAwsCalls, bytes: Object.values(packages).reduce((sum, n) => sum + n, 0), packages, importMs, ratio: importMs / referenceMs };
      }),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
