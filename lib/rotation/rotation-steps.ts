import type { SecretDescription, SecretStore } from '../aws/secret-store.js';
import { SecretNotFoundError } from '../aws/secret-errors.js';
import { parseRotationEvent, type RotationStep } from '../core/rotation/rotation-event.js';
import {
  AWSCURRENT,
  AWSPENDING,
  checkRotationVersion,
  pendingVersionsOf,
} from '../core/rotation/stages.js';
import { RotationStepError, safeSummary } from './errors.js';
import type { ConsumerRestarter, RotationContext, RotationLogger, RotationStrategy } from './ports.js';

export interface RotationStepsDeps {
  secrets: SecretStore;
  strategy: RotationStrategy;
  consumers: ConsumerRestarter;
  logger: RotationLogger;
}

/** What a step did; Secrets Manager ignores it, tests and the local runtime read it. */
export type RotationStepOutcome =
  | { step: RotationStep; result: 'created' | 'already-created' | 'set' | 'tested' }
  | { step: 'finishSecret'; result: 'finished'; restarted: string[]; previousVersionId?: string }
  /** The token is AWSCURRENT and nothing was left over: the rotation is done. */
  | { step: RotationStep; result: 'already-finished' };

export interface RotationSteps {
  /** Runs one step of Secrets Manager's rotation protocol; accepts the raw Lambda event. */
  run(event: unknown): Promise<RotationStepOutcome>;
}

/** The reason recorded on every consumer's new revision. */
export const rotationReason = (secretName: string): string => `secret ${secretName} rotated`;

/**
 * The four rotation steps as the AWS rotation template implements them, with two additions:
 *
 * - A failing createSecret, setSecret or testSecret abandons the rotation: AWSPENDING is
 *   taken off the token's version before the error is rethrown. Secrets Manager itself
 *   leaves the label where it is, and while AWSPENDING sits on a version other than
 *   AWSCURRENT every later RotateSecret fails with "A previous rotation isn't complete" —
 *   one bad test would block rotation for good.
 * - finishSecret restarts the consumers between moving AWSCURRENT and removing AWSPENDING.
 *   AWSPENDING left on the AWSCURRENT version is a finished rotation for Secrets Manager,
 *   and for this function it means "consumers not restarted yet": a retried finishSecret
 *   restarts them, one after a complete finish does nothing, so a successful rotation rolls
 *   its consumers once and a failed restart is retried.
 *
 * Log lines carry step, secret id and version ids only.
 */
export function createRotationSteps(deps: RotationStepsDeps): RotationSteps {
  const { secrets, strategy, consumers, logger } = deps;

  return {
    async run(input) {
      const event = parseRotationEvent(input);
      const step = event.Step;
      const secretId = event.SecretId;
      const token = event.ClientRequestToken;
      const where = { step, secretId, versionId: token };
      logger.info('rotation step started', where);

      let secret: SecretDescription;
      let state: 'new' | 'pending' | 'finished';
      try {
        secret = await secrets.describe(secretId);
        state = checkRotationVersion({
          secretId,
          rotationEnabled: secret.rotationEnabled,
          versions: secret.versions,
          token,
          tokenMayBeNew: step === 'createSecret',
        });
      } catch (error) {
        // Not this rotation's to run (disabled, foreign or abandoned token): nothing to undo.
        logger.error('rotation step rejected', { ...where, error: safeSummary(error) });
        throw error;
      }

      if (state === 'finished') {
        const leftover = step === 'finishSecret' && secret.versions[token].includes(AWSPENDING);
        if (!leftover) {
          logger.info('rotation step skipped: version already AWSCURRENT', where);
          return { step, result: 'already-finished' };
        }
      }

      const ctx = contextFor(secrets, secretId, token, secret);
      try {
        const outcome = await runStep(step, ctx);
        logger.info('rotation step succeeded', { ...where, result: outcome.result });
        return outcome;
      } catch (error) {
        const abandoned = step !== 'finishSecret' && (await abandon(ctx, where));
        logger.error('rotation step failed', { ...where, abandoned, error: safeSummary(error) });
        throw new RotationStepError(step, secretId, token, abandoned, { cause: error });
      }
    },
  };

  async function runStep(step: RotationStep, ctx: RotationContext): Promise<RotationStepOutcome> {
    switch (step) {
      case 'createSecret':
        return createSecret(ctx);
      case 'setSecret':
        await strategy.set(ctx);
        return { step, result: 'set' };
      case 'testSecret':
        await strategy.test(ctx);
        return { step, result: 'tested' };
      case 'finishSecret':
        return finishSecret(ctx);
    }
  }

  async function createSecret(ctx: RotationContext): Promise<RotationStepOutcome> {
    // The current value must exist before anything is derived from it.
    await ctx.currentValue();
    try {
      await secrets.getValue(ctx.secretId, { versionId: ctx.token, stage: AWSPENDING });
      return { step: 'createSecret', result: 'already-created' };
    } catch (error) {
      // RotateSecret stages an empty AWSPENDING version under the token: reading it is
      // ResourceNotFound until a value is put.
      if (!(error instanceof SecretNotFoundError)) throw error;
    }
    const value = await strategy.create(ctx);
    await secrets.putPendingValue(ctx.secretId, ctx.token, value);
    return { step: 'createSecret', result: 'created' };
  }

  async function finishSecret(ctx: RotationContext): Promise<RotationStepOutcome> {
    const { previousVersionId } = await secrets.moveCurrentTo(ctx.secretId, ctx.token);
    if (previousVersionId !== undefined) {
      logger.info('AWSCURRENT moved', {
        step: 'finishSecret',
        secretId: ctx.secretId,
        versionId: ctx.token,
        previousVersionId,
      });
    }
    const restarted = await consumers.restartConsumers(ctx.secret.name, rotationReason(ctx.secret.name), ctx.token);
    logger.info('consumers restarted', {
      step: 'finishSecret',
      secretId: ctx.secretId,
      versionId: ctx.token,
      services: restarted,
    });
    // Everything that still carries AWSPENDING — the token's version, or one abandoned by a
    // rotation that failed before this function could clean up.
    const after = await secrets.describe(ctx.secretId);
    for (const versionId of pendingVersionsOf(after.versions)) {
      await secrets.removePending(ctx.secretId, versionId);
    }
    return {
      step: 'finishSecret',
      result: 'finished',
      restarted,
      ...(previousVersionId !== undefined ? { previousVersionId } : {}),
    };
  }

  /** Takes AWSPENDING off the token's version; answers whether it did. */
  async function abandon(
    ctx: RotationContext,
    where: { step: RotationStep; secretId: string; versionId: string },
  ): Promise<boolean> {
    try {
      const now = await secrets.describe(ctx.secretId);
      const stages = now.versions[ctx.token] ?? [];
      if (!stages.includes(AWSPENDING) || stages.includes(AWSCURRENT)) return false;
      await secrets.removePending(ctx.secretId, ctx.token);
      logger.warn('rotation abandoned: AWSPENDING removed', where);
      return true;
    } catch (error) {
      logger.error('could not abandon rotation', { ...where, error: safeSummary(error) });
      return false;
    }
  }
}

function contextFor(
  secrets: SecretStore,
  secretId: string,
  token: string,
  secret: SecretDescription,
): RotationContext {
  let current: Promise<string> | undefined;
  let pending: Promise<string> | undefined;
  return {
    secretId,
    token,
    secret,
    secrets,
    currentValue: () => (current ??= secrets.getValue(secretId, { stage: AWSCURRENT })),
    pendingValue: () =>
      (pending ??= secrets.getValue(secretId, { versionId: token, stage: AWSPENDING })),
  };
}
