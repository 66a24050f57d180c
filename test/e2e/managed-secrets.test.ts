import { CreateSecretCommand, DeleteSecretCommand, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { events, getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

const managed = [{ Key: 'corral:managed', Value: 'true' }];

describe('a spec may name only secrets tagged corral:managed=true', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  it('refuses an untagged or missing secret with 400 naming secrets.NAME and how to tag it, storing nothing', async () => {
    rt = await startTestRuntime({ reconcile: false });
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'plain', SecretString: 'value-1' }));
    const spec = { image: 'web:1', replicas: 1, secrets: { DB_PASSWORD: 'plain', API_KEY: 'nowhere' } };

    const refused = await call(rt.apiUrl, 'PUT', '/services/web', spec);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('ValidationError');
    const details = new Map(refused.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect([...details.keys()].sort()).toEqual(['secrets.API_KEY', 'secrets.DB_PASSWORD']);
    expect(details.get('secrets.DB_PASSWORD')).toContain(
      'aws secretsmanager tag-resource --secret-id plain --tags Key=corral:managed,Value=true',
    );
    expect(details.get('secrets.API_KEY')).toMatch(/does not exist.*create-secret --name nowhere .*--tags Key=corral:managed,Value=true/);
    expect((await call(rt.apiUrl, 'GET', '/services/web')).status).toBe(404);

    const job = await call(rt.apiUrl, 'PUT', '/jobs/nightly', { image: 'batch:1', schedule: 'rate(1 hour)', secrets: { DB_PASSWORD: 'plain' } });
    expect(job.status).toBe(400);
    expect(job.body.error.details).toEqual([{ field: 'secrets.DB_PASSWORD', message: expect.stringContaining('tag-resource') }]);
    expect((await call(rt.apiUrl, 'GET', '/jobs/nightly')).status).toBe(404);

    // Once tagged as the message says, the same spec is accepted.
    await rt.clients.secrets.send(new TagResourceCommand({ SecretId: 'plain', Tags: managed }));
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'nowhere', SecretString: 'value-2', Tags: managed }));
    expect((await call(rt.apiUrl, 'PUT', '/services/web', spec)).status).toBe(201);
    expect((await call(rt.apiUrl, 'PUT', '/jobs/nightly', { image: 'batch:1', schedule: 'rate(1 hour)', secrets: { DB_PASSWORD: 'plain' } })).status).toBe(201);
  });

  it('refuses to describe or rotate an untagged secret (403), as IAM does in AWS', async () => {
    rt = await startTestRuntime({ reconcile: false });
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'someone-elses', SecretString: 'theirs' }));
    const described = await call(rt.apiUrl, 'GET', '/secrets/someone-elses');
    expect(described.status).toBe(403);
    expect(described.body.error.code).toBe('SecretNotManaged');
    expect(described.text).not.toContain('theirs');
    expect((await call(rt.apiUrl, 'POST', '/secrets/someone-elses/rotate')).status).toBe(403);
  });

  it('a secret deleted after the spec was accepted fails the task at start; the service backs off and says which secret', async () => {
    rt = await startTestRuntime();
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'short-lived', SecretString: 'value-3', Tags: managed }));
    const put = await call(rt.apiUrl, 'PUT', '/services/fragile', { image: 'fragile:1', replicas: 2, secrets: { TOKEN: 'short-lived' } });
    expect(put.status).toBe(201);
    await rt.clients.secrets.send(new DeleteSecretCommand({ SecretId: 'short-lived', ForceDeleteWithoutRecovery: true }));
    await rt.run(5 * 60_000);

    const stopped = (await rt.tasks('fragile')).filter((t) => t.lastStatus === 'STOPPED');
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    for (const task of stopped) {
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth/);
    }
    // Backoff 10, 20, 40, 80, 160 s: a handful of attempts in five minutes, not a hot loop.
    expect(stopped.length).toBeLessThanOrEqual(16);
    expect((await events(rt, 'fragile')).some((e) => e.type === 'BackOff')).toBe(true);
    const { status } = await getService(rt, 'fragile');
    expect(status.phase).toMatch(/Degraded|Progressing|Failed/);
    expect(status.message).toContain('ResourceInitializationError');
    expect(status.message).toContain('secret:short-lived');
  });
});
