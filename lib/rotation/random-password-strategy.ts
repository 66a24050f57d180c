import { SecretShapeError } from '../core/rotation/errors.js';
import { passwordKeyFromTags, passwordRulesFromTags } from '../core/rotation/password-rules.js';
import { otherFields, passwordIn, shapeOf, withPassword } from '../core/rotation/secret-value.js';
import type { RotationContext, RotationStrategy } from './ports.js';

/**
 * The default strategy: a new password from GetRandomPassword, shaped by the secret's
 * `corral:*` tags (see passwordTags). A plain-text secret is replaced whole; a JSON object
 * secret gets only its password key (`corral:password-key`, default `password`) replaced.
 * Nothing upstream holds the password, so `set` has nothing to do, and `test` checks the
 * pending value is a well-formed rotation of the current one.
 */
export const randomPasswordStrategy: RotationStrategy = {
  async create(ctx) {
    const current = await ctx.currentValue();
    const shape = shapeOf(ctx.secret.name, current, passwordKeyFromTags(ctx.secret.tags));
    const password = await ctx.secrets.getRandomPassword(passwordRulesFromTags(ctx.secret.tags));
    return withPassword(current, shape, password);
  },

  async set() {
    // The value lives only in Secrets Manager; consumers pick it up when they restart.
  },

  async test(ctx) {
    await checkPendingValue(ctx);
  },
};

/** Throws (describing, never quoting) unless the pending value is a proper new password. */
async function checkPendingValue(ctx: RotationContext): Promise<void> {
  const name = ctx.secret.name;
  const [current, pending] = await Promise.all([ctx.currentValue(), ctx.pendingValue()]);
  const shape = shapeOf(name, current, passwordKeyFromTags(ctx.secret.tags));
  const rules = passwordRulesFromTags(ctx.secret.tags);
  const password = passwordIn(pending, shape);
  if (password === undefined) {
    throw new SecretShapeError(name, 'the pending value lost the shape of the current value');
  }
  if (password === passwordIn(current, shape)) {
    throw new SecretShapeError(name, 'the pending password equals the current one');
  }
  if ([...password].length !== rules.length) {
    throw new SecretShapeError(
      name,
      `the pending password has ${[...password].length} characters, the rules ask for ${rules.length}`,
    );
  }
  if (JSON.stringify(otherFields(pending, shape)) !== JSON.stringify(otherFields(current, shape))) {
    throw new SecretShapeError(name, 'the pending value changed fields other than the password');
  }
}
