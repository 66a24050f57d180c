import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentials, type Harness, region, startHarness } from './local-aws-harness.js';

let h: Harness;
let elb: ElasticLoadBalancingV2Client;
beforeAll(async () => {
  h = await startHarness();
  elb = new ElasticLoadBalancingV2Client({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  elb.destroy();
  await h.close();
});

async function targetGroup(name: string, settings: Record<string, unknown> = {}): Promise<string> {
  const created = await elb.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip', ...settings }),
  );
  return created.TargetGroups?.[0]?.TargetGroupArn as string;
}

async function health(arn: string, targets?: { Id: string; Port?: number }[]) {
  const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: targets }));
  return (answer.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target?.Id, port: d.Target?.Port, ...d.TargetHealth }));
}

describe('Elastic Load Balancing v2 over the Query protocol (SDK v3)', () => {
  test('CreateTargetGroup applies the ALB defaults and answers the same group for the same request', async () => {
    const created = await elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-local', TargetType: 'ip' }));
    const group = created.TargetGroups?.[0];
    expect(group).toMatchObject({
      TargetGroupName: 'defaults',
      TargetGroupArn: expect.stringMatching(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/defaults\/[0-9a-f]{16}$/),
      Protocol: 'HTTP',
      Port: 8080,
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
    });
    const again = await elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-local', TargetType: 'ip' }));
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(group?.TargetGroupArn);
    await expect(elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 9090, VpcId: 'vpc-local', TargetType: 'ip' }))).rejects.toMatchObject({
      name: 'DuplicateTargetGroupNameException',
    });
    const described = await elb.send(new DescribeTargetGroupsCommand({ Names: ['defaults'] }));
    expect(described.TargetGroups?.map((g) => g.TargetGroupArn)).toEqual([group?.TargetGroupArn]);
  });

  test('bad input is refused as ELB refuses it and creates nothing', async () => {
    const refuse = (input: Record<string, unknown>) =>
      elb.send(new CreateTargetGroupCommand({ Name: 'bad', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip', ...input }));
    await expect(refuse({ Name: 'under_score' })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('alphanumeric') });
    await expect(refuse({ HealthCheckIntervalSeconds: 4 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'healthCheckIntervalSeconds' failed to satisfy constraint"),
    });
    await expect(refuse({ HealthCheckIntervalSeconds: 5 })).rejects.toMatchObject({ message: expect.stringContaining('must be smaller than the interval') });
    await expect(refuse({ VpcId: undefined })).rejects.toMatchObject({ name: 'ValidationError', message: 'A VPC ID must be specified' });
    await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ['bad'] }))).rejects.toBeInstanceOf(TargetGroupNotFoundException);
  });

  test('a missing target group is TargetGroupNotFound on every target operation', async () => {
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/missing/0123456789abcdef';
    for (const command of [
      new RegisterTargetsCommand({ TargetGroupArn: missing, Targets: [{ Id: '10.0.0.1' }] }),
      new DeregisterTargetsCommand({ TargetGroupArn: missing, Targets: [{ Id: '10.0.0.1' }] }),
      new DescribeTargetHealthCommand({ TargetGroupArn: missing }),
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: missing }),
    ]) {
      // @ts-expect-error one send for the four command types
      await expect(elb.send(command)).rejects.toMatchObject({ name: 'TargetGroupNotFoundException', $metadata: { httpStatusCode: 400 } });
    }
  });

  test('attributes: deregistration delay defaults to 300 s, is validated, and an unknown key changes nothing', async () => {
    const arn = await targetGroup('attributes');
    const read = async () =>
      Object.fromEntries(((await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))).Attributes ?? []).map((a) => [a.Key, a.Value]));
    expect((await read())['deregistration_delay.timeout_seconds']).toBe('300');
    const modified = await elb.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }),
    );
    expect(modified.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });
    await expect(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '7' }, { Key: 'no.such.key', Value: '1' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await read())['deregistration_delay.timeout_seconds']).toBe('5');
  });

  test('an address where nothing serves goes initial → InitialHealthChecking → unhealthy (Target.Timeout) on the group’s schedule', async () => {
    const arn = await targetGroup('nothing-serves', { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5, UnhealthyThresholdCount: 3 });
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.9.9.9' }] }));
    expect(await health(arn)).toEqual([
      { id: '10.9.9.9', port: 80, State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
    ]);
    h.clock.advance(10_000);
    expect(await health(arn)).toMatchObject([{ State: 'initial', Reason: 'Elb.InitialHealthChecking' }]);
    h.clock.advance(19_999);
    expect(await health(arn)).toMatchObject([{ State: 'initial' }]);
    h.clock.advance(1);
    expect(await health(arn)).toMatchObject([{ State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' }]);
  });

  test('deregistering drains for the deregistration delay, then the target is unused (Target.NotRegistered)', async () => {
    const arn = await targetGroup('draining');
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.0.1' }, { Id: '10.0.0.2', Port: 8080 }] }));
    // Deregistering a target by another port is a no-op, as in ELB: a target is its id and port.
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.0.2' }] }));
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.0.1' }] }));
    expect(await health(arn)).toMatchObject([
      { id: '10.0.0.1', port: 80, State: 'draining', Reason: 'Target.DeregistrationInProgress' },
      { id: '10.0.0.2', port: 8080, State: 'initial' },
    ]);
    h.clock.advance(4_999);
    expect((await health(arn)).map((t) => t.State)).toEqual(['draining', 'initial']);
    h.clock.advance(1);
    expect((await health(arn)).map((t) => t.id)).toEqual(['10.0.0.2']);
    expect(await health(arn, [{ Id: '10.0.0.1' }])).toEqual([
      { id: '10.0.0.1', port: 80, State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
    ]);
  });

  test('RegisterTargets refuses a target that is not an IPv4 address for an ip group', async () => {
    const arn = await targetGroup('ip-only');
    await expect(elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: 'i-0123456789abcdef0' }] }))).rejects.toMatchObject({
      name: 'InvalidTargetException',
    });
    expect(await health(arn)).toEqual([]);
  });

  test('AddTags and DescribeTags; DeleteTargetGroup removes the group and its targets', async () => {
    const arn = await targetGroup('tagged', { Tags: [{ Key: 'corral:managed', Value: 'true' }] });
    await elb.send(new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: 'team', Value: 'web' }, { Key: 'corral:managed', Value: 'true' }] }));
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    expect(tags.TagDescriptions).toEqual([{ ResourceArn: arn, Tags: [{ Key: 'corral:managed', Value: 'true' }, { Key: 'team', Value: 'web' }] }]);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.0.3' }] }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    await expect(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }))).rejects.toBeInstanceOf(TargetGroupNotFoundException);
  });

  test('DescribeTargetGroups pages with Marker and PageSize', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await targetGroup(name);
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const answer = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 2, Marker: marker }));
      names.push(...(answer.TargetGroups ?? []).map((g) => g.TargetGroupName as string));
      marker = answer.NextMarker;
      pages++;
    } while (marker);
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(new Set(names).size).toBe(names.length);
    expect(pages).toBe(Math.ceil(names.length / 2));
  });

  test('a malformed Query body is a 400, never a 5xx; an ELB error is an XML ErrorResponse', async () => {
    const post = (body: string) =>
      fetch(h.aws.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    for (const body of ['Version=2015-12-01', 'Action=RegisterTargets&Version=2015-12-01&TargetGroupArn=a&TargetGroupArn.x=b']) {
      expect((await post(body)).status, body).toBe(400);
    }
    for (const body of ['Action=DescribeTargetHealth&Version=2015-12-01', 'Action=Nope&Version=2015-12-01']) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(await response.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>\w+<\/Code>/);
    }
    const polluting = await post('Action=DescribeTargetGroups&Version=2015-12-01&__proto__.polluted=1');
    expect(polluting.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
