export { type Lease, isExpired, canAcquire } from './lease.js';
export {
  type LeaseOptions,
  defaultLeaseOptions,
  retryJitterFactor,
  LeaseOptionsError,
  resolveLeaseOptions,
  validateLeaseOptions,
} from './options.js';
export {
  type HeldLease,
  type LeaseStep,
  leadershipEndsAt,
  isLeading,
  shouldRenew,
  nextLeaseStep,
} from './leadership.js';
export { toleratedClockSkewMs } from './clock-skew.js';
