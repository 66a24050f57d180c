import { canAcquire, type Lease } from '../core/lease/lease.js';
import { isLeading, nextLeaseStep, type HeldLease } from '../core/lease/leadership.js';
import { resolveLeaseOptions, type LeaseOptions } from '../core/lease/options.js';
import { FencedWriteRejectedError, LeaseHeldError, LeaseLostError } from './lease-errors.js';
import type { LeaseStore } from './lease-store.js';

export interface LeaderElectorConfig {
  readonly store: LeaseStore;
  /** The lease contended for, e.g. `dispatcher`. */
  readonly name: string;
  /**
   * Unique to this process (in Lambda: to the execution environment, chosen at cold start), so
   * a warm environment keeps its leadership from one invocation to the next.
   */
  readonly holder: string;
  /** Overrides of the client-go defaults (15 s / 10 s / 2 s); validated. */
  readonly options?: Partial<LeaseOptions>;
  /**
   * After losing a contest, make no call until the lease seen then expires (true, the default:
   * it spares the store a write per contender per tick). False tries afresh every time, for a
   * contender whose rival holds the lease for one short pass and releases it when done (the
   * dispatcher's wake-ups): waiting out the expiry it saw would make it wait for nothing.
   */
  readonly waitOutObservedLease?: boolean;
}

/** The outcome of `runIfLeader`: the work's result if this holder led, or nothing. */
export type LeaderRun<T> =
  | { readonly led: true; readonly lease: Lease; readonly result: T }
  | { readonly led: false };

/**
 * Leader election on a lease with a fencing token, in the manner of client-go's
 * leaderelection but driven by the caller's ticks and clock (`now`, epoch ms) instead of its own
 * loop, so it fits a Lambda invocation as well as a long-lived process.
 *
 * Leadership as this process sees it ends at the renew deadline on its own clock (see
 * lib/core/lease/clock-skew.ts for the skew this tolerates); everything done as leader must
 * still be a fenced write (lease-fence.ts), because a process can pause between checking
 * `isLeader` and writing.
 */
export class LeaderElector {
  readonly name: string;
  readonly holder: string;
  readonly options: LeaseOptions;
  private readonly store: LeaseStore;
  private readonly waitOutObservedLease: boolean;
  private held: HeldLease | undefined;
  /** The other holder's lease seen at the last failed attempt: waited out before trying again. */
  private observed: Lease | undefined;
  /** Acquire and renew calls run one at a time, so two overlapping ticks cannot race each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(config: LeaderElectorConfig) {
    this.store = config.store;
    this.name = config.name;
    this.holder = config.holder;
    this.options = resolveLeaseOptions(config.options);
    this.waitOutObservedLease = config.waitOutObservedLease ?? true;
  }

  /** The lease last acquired or renewed, if not lost or released (it may be past its deadline). */
  get lease(): Lease | undefined {
    return this.held?.lease;
  }

  /** Whether this process may act as leader at `now` on its own clock. */
  isLeader(now: number): boolean {
    return isLeading(this.held, now, this.options);
  }

  /**
   * Renews the held lease once a retry period has passed, or tries to acquire the lease when it
   * is free as far as this process knows. Resolves to whether it leads at `now`. Store failures
   * other than losing the race are thrown; a held lease then still counts until its deadline.
   */
  tryAcquireOrRenew(now: number): Promise<boolean> {
    return this.serially(async () => {
      const observed = this.waitOutObservedLease ? this.observed : undefined;
      const step = nextLeaseStep({ held: this.held, observed }, this.holder, now, this.options);
      switch (step.kind) {
        case 'keep':
          return this.isLeader(now);
        case 'wait':
          return false;
        case 'renew':
          return (await this.renew(step.lease, now)) || this.acquireIfFree(now);
        case 'acquire':
          return this.acquire(now);
      }
    });
  }

  /**
   * One Lambda tick: acquire or renew, and if leading, run `work` with the lease (whose token
   * the work's fenced writes carry). The lease is kept afterwards so the next tick renews it.
   * If the work finds itself fenced out or the lease lost, the lease is forgotten.
   */
  async runIfLeader<T>(now: number, work: (lease: Lease) => Promise<T>): Promise<LeaderRun<T>> {
    if (!(await this.tryAcquireOrRenew(now)) || this.held === undefined) return { led: false };
    const lease = this.held.lease;
    try {
      return { led: true, lease, result: await work(lease) };
    } catch (error) {
      if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) this.forget(lease);
      throw error;
    }
  }

  /**
   * Gives the lease up (on shutdown): a contender that has not seen it yet can take it at once;
   * one that already saw it waits, at most, until the expiry it saw.
   */
  release(): Promise<void> {
    return this.serially(async () => {
      const held = this.held;
      if (held === undefined) return;
      this.held = undefined;
      try {
        await this.store.release(held.lease);
      } catch (error) {
        // Already superseded: there is nothing left to give up.
        if (!(error instanceof LeaseLostError)) throw error;
      }
    });
  }

  private async renew(lease: Lease, now: number): Promise<boolean> {
    try {
      this.held = { lease: await this.store.renew(lease, now), confirmedAt: now };
      return true;
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      this.held = undefined;
      this.observed = error.current;
      return false;
    }
  }

  /** After losing a renewal, the lease may already be free again (the successor released it or let it expire). */
  private acquireIfFree(now: number): Promise<boolean> | boolean {
    return canAcquire(this.observed, this.holder, now) ? this.acquire(now) : false;
  }

  private async acquire(now: number): Promise<boolean> {
    try {
      this.held = {
        lease: await this.store.acquire(this.name, this.holder, now, this.options),
        confirmedAt: now,
      };
      this.observed = undefined;
      return true;
    } catch (error) {
      if (!(error instanceof LeaseHeldError)) throw error;
      this.observed = error.current;
      return false;
    }
  }

  private forget(lease: Lease): void {
    if (this.held?.lease.token === lease.token) this.held = undefined;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    // The chain only orders calls; each caller gets its own outcome through `run`.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
