import { describe, expect, it } from 'vitest';
import { InvalidRotationEventError, parseRotationEvent } from '../../../lib/core/rotation/index.js';

describe('parseRotationEvent', () => {
  it('accepts the four steps', () => {
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      expect(parseRotationEvent({ Step, SecretId: 'arn:s', ClientRequestToken: 't', RotationToken: 'x' })).toEqual({
        Step,
        SecretId: 'arn:s',
        ClientRequestToken: 't',
      });
    }
  });

  it.each([
    [null, 'expected an object'],
    [{ Step: 'deleteSecret', SecretId: 's', ClientRequestToken: 't' }, 'Step must be one of'],
    [{ Step: 'createSecret', ClientRequestToken: 't' }, 'SecretId'],
    [{ Step: 'createSecret', SecretId: 's', ClientRequestToken: '' }, 'ClientRequestToken'],
  ])('rejects %j', (event, message) => {
    expect(() => parseRotationEvent(event)).toThrowError(InvalidRotationEventError);
    expect(() => parseRotationEvent(event)).toThrow(message);
  });
});
