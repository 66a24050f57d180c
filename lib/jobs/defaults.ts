/** The dispatcher's job settings, in one place. */
export const jobDefaults = {
  /** Finished runs kept per job (active runs are always kept besides). */
  runHistoryLimit: 20,
  /**
   * A run recorded but not launched (RunTask kept failing) is retried on every tick until this
   * long after it was recorded, then marked Failed. Well inside RunTask's client-token lifetime
   * (up to 24 h), so every retry of one run repeats the same token.
   */
  launchDeadlineMs: 15 * 60_000,
  /** Prefix of every StopTask reason the dispatcher gives, so the runs' history says who stopped them. */
  stopReasonPrefix: 'corral: ',
} as const;
