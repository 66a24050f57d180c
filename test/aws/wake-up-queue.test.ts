import { describe, expect, it } from 'vitest';
import { parseWakeUpMessage } from '../../lib/aws/wake-up-queue.js';

describe('wake-up messages', () => {
  it('reads the instant and, when present, where the owed ticks start', () => {
    expect(parseWakeUpMessage('{"wakeUpAt":1798804800000}')).toEqual({ wakeUpAt: 1798804800000 });
    expect(parseWakeUpMessage('{"wakeUpAt":1798804800000,"owedFrom":0}')).toEqual({ wakeUpAt: 1798804800000, owedFrom: 0 });
  });

  it.each([
    ['not JSON', 'wake up'],
    ['no instant', '{"owedFrom":0}'],
    ['an instant that is not a number', '{"wakeUpAt":"soon"}'],
    ['an owedFrom that is not a number', '{"wakeUpAt":1798804800000,"owedFrom":"always"}'],
  ])('ignores a message with %s', (_, body) => {
    expect(parseWakeUpMessage(body)).toBeUndefined();
  });
});
