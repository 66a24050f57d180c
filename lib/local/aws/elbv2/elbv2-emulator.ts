import { isIPv4 } from 'node:net';
import type { Clock } from '../../../clock.js';
import { AwsError } from '../errors.js';
import { decodeToken, page } from '../paging.js';
import { StateFile } from '../state-file.js';
import { QueryInput } from './query-input.js';
import {
  attributesView,
  createTargetGroup,
  modifyAttributes,
  readTags,
  sameSettings,
  type TargetGroupRecord,
  targetGroupView,
} from './target-group.js';
import { TargetGroupTargets, targetHealthView, type TargetProbe } from './target-health.js';

export interface Elbv2EmulatorOptions {
  clock: Clock;
  probe: TargetProbe;
  accountId: string;
  region: string;
  /** Where target groups are kept across restarts (their targets are not); undefined keeps them in memory. */
  stateFile?: string;
}

export const elbv2Namespace = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** Elastic Load Balancing's quotas that a test can reach. */
const limits = { targetGroups: 3000, targetsPerGroup: 1000, tagsPerResource: 50, describeTagsArns: 20 } as const;

const persistedChanges = new Set(['CreateTargetGroup', 'ModifyTargetGroupAttributes', 'DeleteTargetGroup', 'AddTags']);

const targetGroupNotFound = (): AwsError => new AwsError('TargetGroupNotFound', 'One or more target groups not found');

interface GroupEntry {
  record: TargetGroupRecord;
  /** Creation order, for stable paging. */
  sequence: number;
  targets: TargetGroupTargets;
}

/** The Elastic Load Balancing v2 target group operations Corral and the AWS CLI use. */
export class Elbv2Emulator {
  private readonly groups = new Map<string, GroupEntry>();
  private readonly state: StateFile<TargetGroupRecord[]>;
  private readonly arnPrefix: string;
  private sequence = 0;

  constructor(private readonly options: Elbv2EmulatorOptions) {
    this.arnPrefix = `arn:aws:elasticloadbalancing:${options.region}:${options.accountId}`;
    this.state = new StateFile(options.stateFile);
    for (const record of this.state.load() ?? []) this.add(record);
  }

  handle(action: string, params: Record<string, unknown>): Record<string, unknown> {
    const result = this.dispatch(action, new QueryInput(params));
    if (persistedChanges.has(action)) this.state.save([...this.groups.values()].map((g) => g.record));
    return result;
  }

  /** The targets of a target group, for the traffic rehearsal; undefined when there is no such group. */
  targetsOf(arn: string): TargetGroupTargets | undefined {
    return this.groups.get(arn)?.targets;
  }

  private dispatch(action: string, input: QueryInput): Record<string, unknown> {
    switch (action) {
      case 'CreateTargetGroup':
        return { TargetGroups: [targetGroupView(this.createTargetGroup(input))] };
      case 'DescribeTargetGroups':
        return this.describeTargetGroups(input);
      case 'DescribeTargetGroupAttributes':
        return { Attributes: attributesView(this.group(input).record) };
      case 'ModifyTargetGroupAttributes': {
        const { record } = this.group(input);
        modifyAttributes(record, input);
        return { Attributes: attributesView(record) };
      }
      case 'RegisterTargets':
        return this.registerTargets(input);
      case 'DeregisterTargets': {
        const entry = this.group(input);
        for (const target of this.readTargets(entry.record, input, { required: true })) entry.targets.deregister(target.id, target.port);
        return {};
      }
      case 'DescribeTargetHealth': {
        const entry = this.group(input);
        const asked = this.readTargets(entry.record, input, { required: false });
        const targets = asked.length > 0 ? asked : entry.targets.all();
        return {
          TargetHealthDescriptions: targets.map((t) => targetHealthView(entry.record, t.id, t.port, entry.targets.find(t.id, t.port))),
        };
      }
      case 'DeleteTargetGroup': {
        const arn = input.string('TargetGroupArn', { required: true });
        this.groups.get(arn)?.targets.clear();
        this.groups.delete(arn);
        return {};
      }
      case 'AddTags':
        return this.addTags(input);
      case 'DescribeTags': {
        const arns = input.strings('ResourceArns') ?? [];
        if (arns.length === 0) throw QueryInput.validation('ResourceArns must not be empty');
        if (arns.length > limits.describeTagsArns) throw QueryInput.validation(`At most ${limits.describeTagsArns} resource ARNs can be described at once`);
        return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: this.taggable(arn).tags })) };
      }
      default:
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  private createTargetGroup(input: QueryInput): TargetGroupRecord {
    const record = createTargetGroup(input, this.arnPrefix);
    const existing = [...this.groups.values()].find((g) => g.record.name === record.name);
    if (existing) {
      if (sameSettings(existing.record, record)) return existing.record;
      throw new AwsError('DuplicateTargetGroupName', `A target group with the same name '${record.name}' exists, but with different settings`);
    }
    if (this.groups.size >= limits.targetGroups) throw new AwsError('TooManyTargetGroups', 'You have reached the limit on the number of target groups for your AWS account');
    this.add(record);
    return record;
  }

  private describeTargetGroups(input: QueryInput): Record<string, unknown> {
    const arns = input.strings('TargetGroupArns');
    const names = input.strings('Names');
    if (arns && names) throw QueryInput.validation('Target group names and target group ARNs cannot be specified at the same time');
    if (input.string('LoadBalancerArn') !== undefined) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    const pageSize = input.integer('PageSize', { min: 1, max: 400 }) ?? 400;
    const entries = [...this.groups.values()];
    let matching = entries;
    if (arns || names) {
      matching = (arns ?? names ?? []).map((wanted) => {
        const found = entries.find((g) => (arns ? g.record.arn : g.record.name) === wanted);
        if (!found) throw targetGroupNotFound();
        return found;
      });
    }
    const filterKey = JSON.stringify([arns, names]);
    const after = decodeToken(input.string('Marker'), filterKey, (message) => QueryInput.validation(message));
    const result = page(matching, (g) => g.sequence, after, pageSize, filterKey);
    return { TargetGroups: result.items.map((g) => targetGroupView(g.record)), NextMarker: result.nextToken };
  }

  private registerTargets(input: QueryInput): Record<string, unknown> {
    const entry = this.group(input);
    const targets = this.readTargets(entry.record, input, { required: true });
    for (const target of targets) {
      if (entry.record.targetType === 'ip' && !isIPv4(target.id)) {
        throw new AwsError('InvalidTarget', `The IP address '${target.id}' is not a valid IPv4 address`);
      }
    }
    const added = new Set(targets.filter((t) => !entry.targets.find(t.id, t.port)).map((t) => TargetGroupTargets.key(t.id, t.port)));
    if (entry.targets.count() + added.size > limits.targetsPerGroup) {
      throw new AwsError('TooManyTargets', `You can register up to ${limits.targetsPerGroup} targets per target group`);
    }
    for (const target of targets) entry.targets.register(target.id, target.port, target.availabilityZone);
    return {};
  }

  private addTags(input: QueryInput): Record<string, unknown> {
    const arns = input.strings('ResourceArns') ?? [];
    const tags = readTags(input);
    if (arns.length === 0 || !tags) throw QueryInput.validation('ResourceArns and Tags must not be empty');
    const merged = arns.map((arn) => {
      const resource = this.taggable(arn);
      const byKey = new Map(resource.tags.map((t) => [t.Key, t]));
      for (const tag of tags) byKey.set(tag.Key, tag);
      if (byKey.size > limits.tagsPerResource) throw new AwsError('TooManyTags', `A resource can have at most ${limits.tagsPerResource} tags`);
      return { resource, tags: [...byKey.values()] };
    });
    // All or nothing: nothing is tagged unless every resource could be.
    for (const { resource, tags: all } of merged) resource.tags = all;
    return {};
  }

  private taggable(arn: string): TargetGroupRecord {
    if (/^arn:aws[a-z-]*:elasticloadbalancing:[^:]*:\d*:loadbalancer\//.test(arn)) {
      throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    }
    const entry = this.groups.get(arn);
    if (!entry) throw targetGroupNotFound();
    return entry.record;
  }

  private group(input: QueryInput): GroupEntry {
    const arn = input.string('TargetGroupArn', { required: true });
    const entry = this.groups.get(arn);
    if (!entry) throw targetGroupNotFound();
    return entry;
  }

  /** `Targets.member.N` with each port defaulting to the group's (a target is its id and port). */
  private readTargets(group: TargetGroupRecord, input: QueryInput, rules: { required: boolean }): { id: string; port: number; availabilityZone?: string }[] {
    return (input.structures('Targets', rules) ?? []).map((target) => {
      const id = target.string('Id', { required: true });
      const port = target.integer('Port', { min: 1, max: 65535 }) ?? group.port;
      if (port === undefined) throw new AwsError('ValidationError', `A port must be specified for target '${id}'`);
      return { id, port, availabilityZone: target.string('AvailabilityZone') };
    });
  }

  private add(record: TargetGroupRecord): void {
    this.groups.set(record.arn, { record, sequence: ++this.sequence, targets: new TargetGroupTargets(record, this.options.clock, this.options.probe) });
  }
}
