import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './run-cli.js';

export interface LocalMode {
  apiUrl: string;
  /** The AWS-compatible endpoint (DynamoDB, ECS, Secrets Manager). */
  awsUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the real local mode (bin/local.ts) on free ports with zero simulated delays and waits
 * for the line that announces the API URL.
 */
export function startLocalMode(): Promise<LocalMode> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/local.ts', '--ephemeral', '--port', '0', '--aws-port', '0', '--delays', 'zero'],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const api = /Corral API: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const aws = /AWS endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (api && aws) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ apiUrl: api[1], awsUrl: aws[1], stop: () => stopChild(child) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`local mode exited with ${code} before it was ready:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
