#!/usr/bin/env -S npx tsx
import { runCli } from '../lib/cli/program.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
