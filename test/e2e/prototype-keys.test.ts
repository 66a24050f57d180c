import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

/** Keys every JavaScript object inherits or treats specially; as variable names they are ordinary. */
const prototypeKeys = ['constructor', '__proto__', 'prototype', 'toString'];
/** Built from JSON text, so "__proto__" is an own key as it is in a request body. */
const variables = (value: (key: string) => string): Record<string, string> =>
  JSON.parse(`{${prototypeKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(value(k))}`).join(',')}}`);

describe('variables named like prototype keys round-trip exactly', () => {
  let rt: TestRuntime;
  const environment = variables((k) => `env-${k}`);
  const secrets = variables((k) => `proto-secret${k.replaceAll('_', '')}`);

  beforeAll(async () => {
    rt = await startTestRuntime();
    for (const name of Object.values(secrets)) {
      await rt.clients.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    }
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('for a service: stored, read back, listed and put into the task definition', async () => {
    // Names in environment and secrets must differ, so the secrets get a suffix-free twin each.
    const spec = { image: 'web:1', replicas: 1, environment, rollout: { minHealthySeconds: 0 } };
    const created = await call(rt.apiUrl, 'PUT', '/services/protoenv', spec);
    expect(created.status).toBe(201);
    expect(created.text).toContain('"__proto__":"env-__proto__"');
    const got = await getService(rt, 'protoenv');
    expect(Object.keys(got.spec.environment).sort()).toEqual([...prototypeKeys].sort());
    expect(Object.entries(got.spec.environment)).toEqual(Object.entries(environment));

    const withSecrets = await call(rt.apiUrl, 'PUT', '/services/protosecrets', { image: 'web:1', replicas: 1, secrets, rollout: { minHealthySeconds: 0 } });
    expect(withSecrets.status).toBe(201);
    expect(Object.entries((await getService(rt, 'protosecrets')).spec.secrets)).toEqual(Object.entries(secrets));
    const listed = (await call(rt.apiUrl, 'GET', '/services')).body.services;
    expect(listed.map((s: { name: string }) => s.name)).toEqual(['protoenv', 'protosecrets']);

    expect(await rt.until(async () => (await getService(rt, 'protosecrets')).status.phase === 'Available', 60_000)).toBe(true);
    expect(await rt.until(async () => (await getService(rt, 'protoenv')).status.phase === 'Available', 60_000)).toBe(true);
    const [task] = await rt.liveTasks('protoenv');
    const definition = (await rt.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }))).taskDefinition!;
    expect(definition.containerDefinitions![0].environment!.map((e) => e.name).sort()).toEqual([...prototypeKeys].sort());

    // A scale (read-modify-write of the stored spec) keeps them too.
    expect((await call(rt.apiUrl, 'POST', '/services/protoenv/scale', { replicas: 2 })).status).toBe(200);
    expect(Object.entries((await getService(rt, 'protoenv')).spec.environment)).toEqual(Object.entries(environment));
  });

  it('for a job', async () => {
    const put = await call(rt.apiUrl, 'PUT', '/jobs/protojob', { image: 'batch:1', schedule: 'rate(1 hour)', environment, secrets: variables((k) => secrets[k]) });
    // The same names in environment and secrets are refused, naming each.
    expect(put.status).toBe(400);
    expect(put.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(prototypeKeys.map((k) => `secrets.${k}`).sort());

    const accepted = await call(rt.apiUrl, 'PUT', '/jobs/protojob', { image: 'batch:1', schedule: 'rate(1 hour)', environment });
    expect(accepted.status).toBe(201);
    const withSecrets = await call(rt.apiUrl, 'PUT', '/jobs/protojob2', { image: 'batch:1', schedule: 'rate(1 hour)', secrets });
    expect(withSecrets.status).toBe(201);
    const job = (await call(rt.apiUrl, 'GET', '/jobs/protojob')).body;
    expect(Object.entries(job.spec.environment)).toEqual(Object.entries(environment));
    expect(Object.entries((await call(rt.apiUrl, 'GET', '/jobs/protojob2')).body.spec.secrets)).toEqual(Object.entries(secrets));
  });
});
