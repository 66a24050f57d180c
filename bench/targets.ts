/** One issue target beside its measured figure: "met" when `measured` is at most `limit`. */
export interface TargetLine {
  target: string;
  measured: string;
  met: boolean;
}

export const targetLines: TargetLine[] = [];

/** Prints "  <what>: <measured> (target ≤ <limit>) met|NOT met" and keeps it for the summary. */
export function reportAtMost(what: string, measured: number, limit: number, unit = '', digits = 2): void {
  const line = { target: `${what} ≤ ${limit}${unit}`, measured: `${measured.toFixed(digits)}${unit}`, met: measured <= limit };
  targetLines.push(line);
  console.log(`  ${what}: ${line.measured} (target ≤ ${limit}${unit}) ${line.met ? 'met' : 'NOT met'}`);
}

/** The closing table: every target of this run and whether it was met. */
export function printTargetSummary(): void {
  if (targetLines.length === 0) return;
  console.log('\nTargets');
  for (const line of targetLines) console.log(`  ${line.met ? 'met    ' : 'NOT met'}  ${line.target}: ${line.measured}`);
}
