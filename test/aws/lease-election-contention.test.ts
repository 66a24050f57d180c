import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { fencedCondition, fencedWriteRejection } from '../../lib/aws/lease-fence.js';
import { isConditionalCheckFailure } from '../../lib/aws/condition-failures.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { tableSchema } from '../../lib/aws/table-schema.js';
import { defaultLeaseOptions, toleratedClockSkewMs, type Lease } from '../../lib/core/lease/index.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

/**
 * Leader election under contention (issue 6): 20 contenders on one lease, with clocks skewed
 * within the tolerance, taking a turn every tick of virtual time; one run is due per tick.
 *
 * A leader's turn: acquire or renew; mark the cursor item with a fenced write (which also reads
 * the last claimed tick back); claim each due tick on the cursor with a fenced write that also
 * requires `lastTick = tick − 1`; record each claimed run with a put keyed by its tick.
 *
 * Leaders stall at random for longer than the lease, between marking the cursor and claiming,
 * and on waking carry on with their stale lease as a paused process would: mark, then claim.
 * (A holder stalling between acquiring and its first fenced write is the one case per-item
 * fencing cannot cover: see lib/aws/lease-fence.ts.) Idle contenders stall too.
 *
 * Each tick has two phases: stalled processes waking up finish their stale work, then everyone
 * else takes a turn, concurrently.
 */

const contenderCount = 20;
const stallTicks = 450; // ticks in which stalls may begin
const quietTicks = 50; // then 50 s without new stalls: every stalled process wakes and the backlog drains
const totalTicks = stallTicks + quietTicks;
const tickMs = 1_000; // half the retry period: leaders renew every other tick
const { leaseDurationMs } = defaultLeaseOptions;
const t0 = Date.UTC(2026, 10, 25, 0, 0, 0);
const seed = 20_261_125;
const leaseName = 'dispatcher';
const partition = 'job#contention';
const cursorKey = { [tableSchema.partitionKey]: partition, [tableSchema.sortKey]: 'cursor' };
const runKey = (tick: number) => ({
  [tableSchema.partitionKey]: partition,
  [tableSchema.sortKey]: `run#${String(tick).padStart(6, '0')}`,
});

/** mulberry32: a small seeded generator, so every run draws the same offsets and stalls. */
function seededRandom(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What a stalled leader was about to do when it stalled. */
interface StaleWork {
  readonly lease: Lease;
  readonly dueTick: number;
}

interface Contender {
  readonly id: string;
  /** Its clock reads virtual time + offset. */
  readonly offsetMs: number;
  readonly elector: LeaderElector;
  pausedUntil: number;
  stale: StaleWork | undefined;
}

let dynamo: TestDynamo;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  documents = DynamoDBDocumentClient.from(dynamo.client);
});
afterAll(() => dynamo.close());

/** Throws FencedWriteRejectedError for a superseded token; returns false if the write's own condition failed. */
async function fenced(lease: Lease, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    const rejected = await fencedWriteRejection(error, lease, { documents, tableName: dynamo.tableName, key: cursorKey });
    if (rejected !== undefined) throw rejected;
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}

describe('leader election under contention against dynalite', () => {
  it('20 contenders, 500 ticks, stalls longer than the lease: one leader at a time, every run once', async () => {
    const random = seededRandom(seed);
    const store = new DynamoLeaseStore(documents, dynamo.tableName);
    const contenders: Contender[] = Array.from({ length: contenderCount }, (_, i) => ({
      id: `contender-${i}`,
      offsetMs: Math.floor(random() * (toleratedClockSkewMs(defaultLeaseOptions) + 1)),
      elector: new LeaderElector({ store, name: leaseName, holder: `contender-${i}` }),
      pausedUntil: 0,
      stale: undefined,
    }));
    const claimedBy = new Map<number, number>(); // tick → token of its accepted claim
    const staleWrites = { afterTakeover: 0, rejected: 0 };

    /** The leader's first write of a turn: fenced, and reads back the last claimed tick. */
    async function markCursor(lease: Lease): Promise<number> {
      const fence = fencedCondition(lease);
      let lastTick = -1;
      await fenced(lease, async () => {
        const out = await documents.send(
          new UpdateCommand({
            TableName: dynamo.tableName,
            Key: cursorKey,
            ConditionExpression: fence.condition,
            UpdateExpression: `SET #markedBy = :holder, ${fence.set}`,
            ExpressionAttributeNames: { '#markedBy': 'markedBy', ...fence.names },
            ExpressionAttributeValues: { ':holder': lease.holder, ...fence.values },
            ReturnValues: 'ALL_NEW',
          }),
        );
        lastTick = Number(out.Attributes?.lastTick ?? -1);
      });
      return lastTick;
    }

    /** Claims ticks lastTick+1..dueTick in order, recording each run; stops if another claim got there first. */
    async function claimDue(lease: Lease, lastTick: number, dueTick: number): Promise<void> {
      const fence = fencedCondition(lease);
      for (let tick = lastTick + 1; tick <= dueTick; tick++) {
        const claimed = await fenced(lease, () =>
          documents.send(
            new UpdateCommand({
              TableName: dynamo.tableName,
              Key: cursorKey,
              ConditionExpression: `${fence.condition} AND ${tick === 0 ? 'attribute_not_exists(#last)' : '#last = :previous'}`,
              UpdateExpression: `SET #last = :tick, ${fence.set}`,
              ExpressionAttributeNames: { '#last': 'lastTick', ...fence.names },
              ExpressionAttributeValues: { ':tick': tick, ...(tick === 0 ? {} : { ':previous': tick - 1 }), ...fence.values },
            }),
          ),
        );
        if (!claimed) return;
        expect(claimedBy.has(tick), `tick ${tick} claimed twice`).toBe(false);
        claimedBy.set(tick, lease.token);
        // The claim made the tick this holder's; the key condition makes its record unique.
        await documents.send(
          new PutCommand({
            TableName: dynamo.tableName,
            Item: { ...runKey(tick), tick, holder: lease.holder, ...fence.attributes },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
          }),
        );
      }
    }

    /** A stalled leader wakes and carries on as if nothing happened. */
    async function finishStaleWork(contender: Contender): Promise<void> {
      const { lease, dueTick } = contender.stale!;
      contender.stale = undefined;
      const takenOver = ((await store.read(leaseName))?.token ?? 0) > lease.token;
      if (takenOver) staleWrites.afterTakeover += 1;
      try {
        await claimDue(lease, await markCursor(lease), dueTick);
        expect(takenOver, `${contender.id} wrote with token ${lease.token} after losing the lease`).toBe(false);
      } catch (error) {
        if (!(error instanceof FencedWriteRejectedError)) throw error;
        staleWrites.rejected += 1;
      }
    }

    async function takeTurn(contender: Contender, tick: number, now: number, draw: { stall: number; pause: number }) {
      const mayStall = tick < stallTicks;
      const pauseMs = leaseDurationMs + tickMs + Math.floor(draw.pause * 2 * leaseDurationMs); // 16 s to 46 s
      if (mayStall && draw.stall < 0.01) {
        contender.pausedUntil = now + pauseMs;
        return;
      }
      try {
        await contender.elector.runIfLeader(now + contender.offsetMs, async (lease) => {
          const lastTick = await markCursor(lease);
          if (mayStall && draw.stall < 0.1) {
            contender.stale = { lease, dueTick: tick };
            contender.pausedUntil = now + pauseMs;
            return;
          }
          await claimDue(lease, lastTick, tick);
        });
      } catch (error) {
        // superseded: the elector has forgotten the lease and starts over next turn
        if (!(error instanceof FencedWriteRejectedError)) throw error;
      }
    }

    let leaderChanges = 0;
    let previousLeader: string | undefined;
    for (let tick = 0; tick < totalTicks; tick++) {
      const now = t0 + tick * tickMs;
      const draws = contenders.map(() => ({ stall: random(), pause: random() }));
      const awake = contenders.filter((c) => c.pausedUntil <= now);
      await Promise.all(awake.filter((c) => c.stale !== undefined).map((c) => finishStaleWork(c)));
      await Promise.all(awake.filter((c) => c.stale === undefined).map((c) => takeTurn(c, tick, now, draws[contenders.indexOf(c)])));

      // At this instant at most one contender believes it leads, and among those that would
      // write (believers and stalled leaders) at most one holds a token the cursor accepts.
      const believers = contenders.filter((c) => c.elector.isLeader(now + c.offsetMs));
      expect(believers.length, `leaders at tick ${tick}`).toBeLessThanOrEqual(1);
      const cursor = await documents.send(new GetCommand({ TableName: dynamo.tableName, Key: cursorKey, ConsistentRead: true }));
      const fence = Number(cursor.Item?.fence ?? 0);
      const writers = [
        ...believers.map((c) => ({ id: c.id, token: c.elector.lease!.token })),
        ...contenders.flatMap((c) => (c.stale === undefined ? [] : [{ id: c.id, token: c.stale.lease.token }])),
      ];
      const accepted = new Set(writers.filter(({ token }) => token >= fence).map(({ id }) => id));
      expect(accepted.size, `holders whose token the cursor accepts at tick ${tick}`).toBeLessThanOrEqual(1);

      if (believers[0] !== undefined && believers[0].id !== previousLeader) {
        leaderChanges += 1;
        previousLeader = believers[0].id;
      }
    }

    // Every due run dispatched exactly once, recorded under the token that claimed it.
    const runs: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: dynamo.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :run)',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#sk': tableSchema.sortKey },
          ExpressionAttributeValues: { ':pk': partition, ':run': 'run#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      runs.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    expect(runs.map((run) => run.tick)).toEqual(Array.from({ length: totalTicks }, (_, tick) => tick));
    for (const run of runs) expect(run.fence).toBe(claimedBy.get(run.tick as number));

    // Claims are accepted in tick order (each needs lastTick = tick − 1), so the tokens of the
    // runs in tick order are the cursor's history of accepted claims: never going back.
    const tokens = runs.map((run) => run.fence as number);
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));

    // The run exercised what it claims to: takeovers, and stalled leaders writing after them.
    expect(leaderChanges).toBeGreaterThanOrEqual(10);
    expect(staleWrites.afterTakeover).toBeGreaterThanOrEqual(5);
    expect(staleWrites.rejected).toBe(staleWrites.afterTakeover);
    console.info(
      `contention: ${leaderChanges} leadership changes, ${new Set(tokens).size} tokens dispatching, ` +
        `${staleWrites.afterTakeover} stale leaders woke after a takeover, all fenced out`,
    );
  });
});
