import { type ByOperation, dynamoCalls, dynamoWrites } from './counted-calls.js';

/** us-east-1 public prices (December 2026): DynamoDB on demand, Lambda on ARM. */
export const prices = {
  perMillionReadUnits: 0.125,
  perMillionWriteUnits: 0.625,
  perMillionLambdaRequests: 0.2,
  perLambdaGbSecond: 0.0000133334,
} as const;

const ticksPerMonth = 60 * 24 * 30;
const unit = 4096;

export interface IdleTick {
  /** Every call of one dispatcher tick (leader lease, jobs pass, sweep). */
  calls: ByOperation;
  /** Sizes in bytes of the spec items the kind-index Query returns, and of the status items BatchGetItem returns. */
  specBytes: number[];
  statusBytes: number[];
  wallMs: number;
  lambdaMemoryGb: number;
}

/**
 * The idle bill of a fleet: one dispatcher tick a minute, 43,200 a month. Read units follow
 * DynamoDB's rules for eventually consistent reads: a Query costs its items' total size rounded
 * up to 4 KB, halved; BatchGetItem rounds each item up to 4 KB, halved; other reads (small lease
 * and job items) count one unit each, and every write one unit (a transaction two). Lambda:
 * one request and the tick's measured wall time (local mode, so the emulators' time is in it:
 * an overestimate) at its memory size. ECS API calls and EventBridge's scheduled rule cost
 * nothing. Returns dollars a month and the printed arithmetic.
 */
export function idleBill(tick: IdleTick): { dollars: number; arithmetic: string } {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const queries = tick.calls['dynamodb:Query'] ?? 0;
  const batchGets = tick.calls['dynamodb:BatchGetItem'] ?? 0;
  const specRru = Math.ceil(sum(tick.specBytes) / unit) / 2;
  const statusRru = sum(tick.statusBytes.map((b) => Math.ceil(b / unit))) / 2;
  // The kind-index Query and the BatchGetItems are sized above; any other read is one unit.
  const otherReads = dynamoCalls(tick.calls) - dynamoWrites(tick.calls) - Math.min(queries, 1) - batchGets;
  const rru = specRru + statusRru + otherReads;
  const wru = dynamoWrites(tick.calls) + (tick.calls['dynamodb:TransactWriteItems'] ?? 0);
  const gbSeconds = tick.lambdaMemoryGb * (tick.wallMs / 1000);
  const perTick = (rru * prices.perMillionReadUnits + wru * prices.perMillionWriteUnits + prices.perMillionLambdaRequests) / 1e6 + gbSeconds * prices.perLambdaGbSecond;
  const dollars = perTick * ticksPerMonth;
  const arithmetic =
    `43,200 ticks × (${rru.toFixed(1)} RRU [specs ${specRru} + ${tick.statusBytes.length} statuses ${statusRru} + ${otherReads} other reads] × $${prices.perMillionReadUnits}/M` +
    ` + ${wru} WRU × $${prices.perMillionWriteUnits}/M + 1 request × $${prices.perMillionLambdaRequests}/M` +
    ` + ${gbSeconds.toFixed(3)} GB-s × $${prices.perLambdaGbSecond}) = $${dollars.toFixed(2)} a month`;
  return { dollars, arithmetic };
}
