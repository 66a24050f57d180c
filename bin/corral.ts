#!/usr/bin/env node
import { runCli } from '../lib/cli/program.js';

// `corral ... | head -1`: a reader that goes away is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
