import { AwsError } from '../errors.js';
import { Input } from '../input.js';
import { decodeToken, page } from '../paging.js';

interface LogEvent {
  /** Order of ingestion across the account, for paging and event ids. */
  sequence: number;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

interface LogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, LogStream>;
}

const groupNamePattern = /^[.\-_/#A-Za-z0-9]+$/;
const streamNamePattern = /^[^:*]*$/;
const notFound = () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
const invalid = (message: string) => new AwsError('InvalidParameterException', message);

/**
 * CloudWatch Logs (AWS JSON 1.1, target `Logs_20140328`) as far as reading task logs goes:
 * FilterLogEvents, GetLogEvents, DescribeLogStreams and DescribeLogGroups, with the service's
 * limits and errors. Lines come in through `append`, which the simulated tasks call as the
 * awslogs driver would write their output (creating group and stream, as
 * `awslogs-create-group` lets it). Kept in memory: logs do not outlive local mode, as tasks don't.
 */
export class LogsEmulator {
  private readonly groups = new Map<string, LogGroup>();
  private sequence = 0;

  constructor(
    private readonly accountId: string,
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  append(groupName: string, streamName: string, message: string): void {
    const now = this.now();
    let group = this.groups.get(groupName);
    if (!group) this.groups.set(groupName, (group = { name: groupName, creationTime: now, streams: new Map() }));
    let stream = group.streams.get(streamName);
    if (!stream) group.streams.set(streamName, (stream = { name: streamName, creationTime: now, events: [] }));
    stream.events.push({ sequence: ++this.sequence, timestamp: now, ingestionTime: now, message });
  }

  handle(operation: string, body: unknown): unknown {
    const input = Input.of(body, 'InvalidParameterException');
    switch (operation) {
      case 'FilterLogEvents':
        return this.filterLogEvents(input);
      case 'GetLogEvents':
        return this.getLogEvents(input);
      case 'DescribeLogStreams':
        return this.describeLogStreams(input);
      case 'DescribeLogGroups':
        return this.describeLogGroups(input);
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the local CloudWatch Logs emulator.`);
    }
  }

  /** `logGroupName` or `logGroupIdentifier` (a name or an ARN), exactly one of them. */
  private group(input: Input): LogGroup {
    const name = input.string('logGroupName', { min: 1, max: 512, pattern: groupNamePattern });
    const identifier = input.string('logGroupIdentifier', { min: 1, max: 2048 });
    if ((name === undefined) === (identifier === undefined)) {
      throw invalid('You must specify either logGroupName or logGroupIdentifier, but not both.');
    }
    const wanted = name ?? identifier!.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');
    const group = this.groups.get(wanted);
    if (!group) throw notFound();
    return group;
  }

  private filterLogEvents(input: Input): unknown {
    const group = this.group(input);
    const names = input.strings('logStreamNames');
    const prefix = input.string('logStreamNamePrefix', { min: 1, max: 512, pattern: streamNamePattern });
    if (names !== undefined && prefix !== undefined) throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive');
    if (names !== undefined && (names.length < 1 || names.length > 100)) throw invalid('logStreamNames must have 1 to 100 entries');
    const startTime = input.integer('startTime', { min: 0 });
    const endTime = input.integer('endTime', { min: 0 });
    const limit = input.integer('limit', { min: 1, max: 10_000, fallback: 10_000 });
    const pattern = input.string('filterPattern', { max: 1024 });
    const streams = [...group.streams.values()].filter((s) => (names ? names.includes(s.name) : prefix ? s.name.startsWith(prefix) : true));
    const events = streams
      .flatMap((stream) => stream.events.map((event) => ({ stream, event })))
      .filter(({ event }) => inWindow(event.timestamp, startTime, endTime) && matches(event.message, pattern))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.sequence - b.event.sequence);
    const key = JSON.stringify([group.name, names, prefix, startTime, endTime, pattern]);
    // Page positions are indices into the sorted result, which only grows at its end for
    // a window that includes "now", so a token stays valid while tasks keep logging.
    const indexed = events.map((entry, index) => ({ ...entry, index }));
    const after = decodeToken(input.string('nextToken', { min: 1 }), key, invalid);
    const { items, nextToken } = page(indexed, (entry) => entry.index, after, limit, key);
    return {
      events: items.map(({ stream, event }) => ({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(event),
      })),
      searchedLogStreams: streams.map((stream) => ({ logStreamName: stream.name, searchedCompletely: nextToken === undefined })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /**
   * Events of one stream. Without a token, the newest `limit` (or with startFromHead the oldest);
   * `f/<n>` pages forward from position n, `b/<n>` backward. As in CloudWatch, both tokens come
   * back on every answer, and reading forward at the end returns the same forward token.
   */
  private getLogEvents(input: Input): unknown {
    const group = this.group(input);
    const streamName = input.string('logStreamName', { required: true, min: 1, max: 512, pattern: streamNamePattern });
    const stream = group.streams.get(streamName);
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const startTime = input.integer('startTime', { min: 0 });
    const endTime = input.integer('endTime', { min: 0 });
    const limit = input.integer('limit', { min: 1, max: 10_000, fallback: 10_000 });
    const token = input.string('nextToken', { min: 1 });
    const events = stream.events.filter((event) => inWindow(event.timestamp, startTime, endTime));
    let from: number;
    if (token === undefined) from = input.boolean('startFromHead', false) ? 0 : Math.max(0, events.length - limit);
    else {
      const match = /^([fb])\/(\d+)$/.exec(token);
      if (!match) throw invalid('The specified nextToken is invalid.');
      const position = Math.min(Number(match[2]), events.length);
      from = match[1] === 'f' ? position : Math.max(0, position - limit);
    }
    const slice = events.slice(from, from + limit);
    return {
      events: slice.map((event) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime })),
      nextForwardToken: `f/${from + slice.length}`,
      nextBackwardToken: `b/${from}`,
    };
  }

  private describeLogStreams(input: Input): unknown {
    const group = this.group(input);
    const prefix = input.string('logStreamNamePrefix', { min: 1, max: 512, pattern: streamNamePattern });
    const orderBy = input.string('orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw invalid(`orderBy must be LogStreamName or LastEventTime, got ${orderBy}`);
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = input.boolean('descending', false);
    const limit = input.integer('limit', { min: 1, max: 50, fallback: 50 });
    const lastEvent = (stream: LogStream) => stream.events.at(-1)?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
      .sort((a, b) => (orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (descending) streams.reverse();
    const key = JSON.stringify([group.name, prefix, orderBy, descending]);
    const indexed = streams.map((stream, index) => ({ stream, index }));
    const { items, nextToken } = page(indexed, (entry) => entry.index, decodeToken(input.string('nextToken', { min: 1 }), key, invalid), limit, key);
    return {
      logStreams: items.map(({ stream }) => ({
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        ...(stream.events.length > 0
          ? {
              firstEventTimestamp: stream.events[0].timestamp,
              lastEventTimestamp: lastEvent(stream),
              lastIngestionTime: stream.events.at(-1)!.ingestionTime,
            }
          : {}),
        arn: `${this.groupArn(group.name)}:log-stream:${stream.name}`,
        storedBytes: 0,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private describeLogGroups(input: Input): unknown {
    const prefix = input.string('logGroupNamePrefix', { min: 1, max: 512, pattern: groupNamePattern });
    const limit = input.integer('limit', { min: 1, max: 50, fallback: 50 });
    const groups = [...this.groups.values()]
      .filter((group) => prefix === undefined || group.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((group, index) => ({ group, index }));
    const key = JSON.stringify([prefix]);
    const { items, nextToken } = page(groups, (entry) => entry.index, decodeToken(input.string('nextToken', { min: 1 }), key, invalid), limit, key);
    return {
      logGroups: items.map(({ group }) => ({
        logGroupName: group.name,
        creationTime: group.creationTime,
        metricFilterCount: 0,
        arn: `${this.groupArn(group.name)}:*`,
        storedBytes: 0,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }
}

function inWindow(timestamp: number, startTime: number | undefined, endTime: number | undefined): boolean {
  return (startTime === undefined || timestamp >= startTime) && (endTime === undefined || timestamp < endTime);
}

/**
 * Filter patterns: the plain-term form only (every term must occur, case-sensitive; a quoted
 * term is one phrase). JSON and space-delimited patterns are not emulated and match nothing.
 */
function matches(message: string, pattern: string | undefined): boolean {
  if (pattern === undefined || pattern.trim() === '') return true;
  if (/^\s*[{[]/.test(pattern)) return false;
  const terms = [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  return terms.every((term) => message.includes(term));
}

/** CloudWatch's event ids are long decimal strings; this one is unique and sorts with ingestion. */
function eventId(event: LogEvent): string {
  return String(event.sequence).padStart(56, '0');
}
