// Prints vitest's totals as one plain line ("tests: N passed, N failed, N skipped").
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.test-results/vitest.json', import.meta.url), 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
