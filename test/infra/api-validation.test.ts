import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateServiceSpec } from '../../lib/core/spec/index.js';
import { synthCorral } from './synth-corral.js';

/** API Gateway refuses malformed bodies itself, with models made from the handler's own schemas. */
const corral = synthCorral();
const models = corral.template.findResources('AWS::ApiGateway::Model');
const modelNamed = (name: string) => Object.values(models).find((model) => model.Properties.Name === name)?.Properties.Schema;

describe('gateway request validation', () => {
  it('attaches a draft-04 model to every route whose body is required, and none to optional bodies', () => {
    expect(Object.values(models).map((model) => model.Properties.Name).sort()).toEqual(['JobSpec', 'ScaleRequest', 'ServiceSpec']);
    const methods = Object.values(corral.template.findResources('AWS::ApiGateway::Method'));
    const withModel = methods.filter((method) => method.Properties.RequestModels).map((method) => method.Properties.HttpMethod);
    expect(withModel.sort()).toEqual(['POST', 'PUT', 'PUT']);
    expect(modelNamed('ServiceSpec').$schema).toBe('http://json-schema.org/draft-04/schema#');
    corral.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  it('answers a refused body in the contract error shape, with the request id', () => {
    corral.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":"ValidationError".*"requestId":"\\$context.requestId"\\}\\}$') },
    });
  });

  it('accepts every spec the handler accepts and refuses clearly malformed ones (a draft-04 validator, as API Gateway)', () => {
    // A CommonJS module: its class is the namespace's default, under Node and in the types alike.
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    const gatewayAccepts = ajv.compile(modelNamed('ServiceSpec'));
    const examples = parseAllDocuments(readFileSync(new URL('../../examples/shop.yaml', import.meta.url), 'utf8'))
      .map((document) => document.toJS())
      .filter((document) => document?.kind === 'Service')
      .map((document) => document.spec);
    expect(examples.length).toBeGreaterThan(0);
    for (const spec of examples) {
      expect(validateServiceSpec(spec).ok).toBe(true);
      expect(gatewayAccepts(spec), JSON.stringify(gatewayAccepts.errors)).toBe(true);
    }
    const full = { image: 'nginx:1.27', replicas: 3, healthCheck: { command: ['CMD-SHELL', 'true'] }, environment: { A_B: 'x' }, rollout: { maxSurge: '50%', maxUnavailable: 1 } };
    expect(validateServiceSpec(full).ok).toBe(true);
    expect(gatewayAccepts(full)).toBe(true);
    for (const bad of [{ image: 'nginx' }, { image: 'nginx', replicas: 'three' }, { image: 'nginx', replicas: 1, bogus: true }, []]) {
      expect(validateServiceSpec(bad).ok).toBe(false);
      expect(gatewayAccepts(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
