import { ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type ListTasksCommandInput } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { awsvpc, type Harness, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ delays: { provisioningMs: 0, pendingMs: 0, stoppingMs: 0, deprovisioningMs: 0 } });
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
});
afterAll(() => h.close());

async function listAll(input: Omit<ListTasksCommandInput, 'nextToken'>): Promise<{ arns: string[]; pages: number }> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const out = await h.ecs.send(new ListTasksCommand({ ...input, nextToken }));
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
    pages++;
  } while (nextToken);
  return { arns, pages };
}

test('ListTasks pages by startedBy and desired status in launch order, as tasks start and stop', async () => {
  const launched: { arn: string; by: string }[] = [];
  for (let i = 0; i < 24; i++) {
    const by = i % 2 === 0 ? 'corral/a' : 'corral/b';
    const out = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, count: 10, startedBy: by }));
    launched.push(...(out.tasks ?? []).map((t) => ({ arn: t.taskArn!, by })));
  }
  // Every third task stops; a stopped task moves from the RUNNING listing to the STOPPED one.
  const stopped = launched.filter((_, i) => i % 3 === 0);
  for (const task of stopped) await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: task.arn }));
  await h.clock.advance(1);
  const running = launched.filter((_, i) => i % 3 !== 0);

  expect(await listAll({ cluster: 'corral' })).toEqual({ arns: running.map((t) => t.arn), pages: 2 });
  expect((await listAll({ cluster: 'corral', desiredStatus: 'STOPPED' })).arns).toEqual(stopped.map((t) => t.arn));
  const ofA = await listAll({ cluster: 'corral', startedBy: 'corral/a', maxResults: 30 });
  expect(ofA.arns).toEqual(running.filter((t) => t.by === 'corral/a').map((t) => t.arn));
  expect(ofA.pages).toBe(3);
  expect((await listAll({ cluster: 'corral', startedBy: 'corral/b', desiredStatus: 'STOPPED' })).arns)
    .toEqual(stopped.filter((t) => t.by === 'corral/b').map((t) => t.arn));
  expect((await listAll({ cluster: 'corral', family: 'web', maxResults: 100 })).arns).toHaveLength(running.length);
  expect((await listAll({ cluster: 'corral', family: 'other' })).arns).toEqual([]);
  expect((await listAll({ cluster: 'corral', startedBy: 'nobody' })).arns).toEqual([]);

  // A stopped task leaves the listings once its retention ends.
  await h.clock.advance(3_600_001);
  expect((await listAll({ cluster: 'corral', desiredStatus: 'STOPPED' })).arns).toEqual([]);
  expect((await listAll({ cluster: 'corral' })).arns).toHaveLength(running.length);
});
