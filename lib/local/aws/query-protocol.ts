import { AwsError } from './errors.js';

/**
 * The AWS Query protocol (form-encoded `Action=...&Version=...` requests, XML answers), which the
 * AWS CLI v2 still speaks to CloudWatch. Parameters arrive flattened (`AlarmNames.member.1=a`,
 * `Dimensions.member.1.Name=x`) and all as strings; `decodeQueryParameters` rebuilds the nested
 * structure and `coerce` turns the leaves the service model types as numbers or booleans back into
 * them. `queryResponse`/`queryErrorResponse` write the XML the SDKs' Query deserializers read.
 */
export interface QueryRequest {
  action: string;
  version: string;
  parameters: Record<string, unknown>;
}

export interface LeafTypes {
  integers: ReadonlySet<string>;
  doubles: ReadonlySet<string>;
  booleans: ReadonlySet<string>;
}

/** A form-encoded body with an `Action`, or undefined for any other request. */
export function parseQueryRequest(contentType: string | undefined, body: string): QueryRequest | undefined {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) return undefined;
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (action === null) return undefined;
  const flat: [string, string][] = [];
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') flat.push([key, value]);
  return { action, version: form.get('Version') ?? '', parameters: decodeQueryParameters(flat) };
}

/** Lists and structures are Maps while decoding, so no parameter name can reach a prototype. */
class ListNode extends Map<number, unknown> {}
class StructureNode extends Map<string, unknown> {}

export function decodeQueryParameters(flat: [string, string][]): Record<string, unknown> {
  const root = new StructureNode();
  for (const [key, value] of flat) {
    const parts = key.split('.');
    const malformed = () => new AwsError('MalformedQueryString', `The query parameter ${key} is malformed.`);
    let parent: ListNode | StructureNode = root;
    let i = 0;
    while (i < parts.length) {
      let slot: string | number;
      if (parts[i] === 'member') {
        // `Name.member.N`: element N (from 1) of the list called Name.
        const index = Number(parts[i + 1]);
        if (!(parent instanceof ListNode) || !Number.isInteger(index) || index < 1) throw malformed();
        slot = index;
        i += 2;
      } else {
        if (!(parent instanceof StructureNode) || parts[i] === '') throw malformed();
        slot = parts[i];
        i += 1;
      }
      const node: Map<string | number, unknown> = parent;
      if (i >= parts.length) {
        node.set(slot, value);
        break;
      }
      let next = node.get(slot);
      if (next === undefined) {
        next = parts[i] === 'member' ? new ListNode() : new StructureNode();
        node.set(slot, next);
      }
      if (!(next instanceof ListNode || next instanceof StructureNode)) throw malformed();
      parent = next;
    }
  }
  return materialise(root) as Record<string, unknown>;
}

function materialise(node: unknown): unknown {
  if (node instanceof ListNode) return [...node.entries()].sort(([a], [b]) => a - b).map(([, value]) => materialise(value));
  if (node instanceof StructureNode) return Object.fromEntries([...node.entries()].map(([key, value]) => [key, materialise(value)]));
  return node;
}

/** Turns string leaves named in `types` into numbers or booleans, as the service model types them. */
export function coerce(value: unknown, types: LeafTypes, name = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => coerce(item, types, name));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, types, key)]));
  }
  if (typeof value !== 'string') return value;
  if (types.booleans.has(name)) {
    if (value !== 'true' && value !== 'false') throw new AwsError('InvalidParameterValue', `Value '${value}' for ${name} is not a boolean.`);
    return value === 'true';
  }
  if (types.integers.has(name) || types.doubles.has(name)) {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || (types.integers.has(name) && !Number.isInteger(number))) {
      throw new AwsError('InvalidParameterValue', `Value '${value}' for ${name} is not a valid number.`);
    }
    return number;
  }
  return value;
}

/** `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>`. */
export function queryResponse(action: string, namespace: string, result: Record<string, unknown> | undefined, requestId: string): string {
  const body = result === undefined ? '' : element(`${action}Result`, result);
  return `<${action}Response xmlns="${namespace}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryErrorResponse(error: AwsError, namespace: string, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(error.type)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** Lists as `<member>` elements, structures as child elements, times as ISO 8601. */
function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value).map(([key, item]) => element(key, item)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}
