import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource of `scope`'s
 * policies. cdk-nag names each finding after the resource as written in the template, with
 * references flattened (`{"Ref": "AWS::Region"}` → `<AWS::Region>`, `Fn::GetAtt` → `<Id.Attr>`),
 * so the id is computed the same way rather than copied from a synth report.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const rendered = Token.isUnresolved(resource) ? flatten(Stack.of(scope).resolve(resource)) : resource;
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}

/**
 * Acknowledges the wildcard KMS actions (`kms:GenerateDataKey*`, `kms:ReEncrypt*`) that CDK's
 * own grants on a customer managed key write; they cover the variants one encryption needs.
 */
export function acknowledgeKeyGrantActions(scope: IConstruct): void {
  const reason = "CDK's key grants for encryption: the wildcard covers the GenerateDataKey and ReEncrypt variants, on Corral's key only.";
  Validations.of(scope).acknowledge(
    { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
    { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
  );
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const fn = node as Record<string, unknown>;
    if ('Fn::Join' in fn) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::GetAtt' in fn) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Ref' in fn) return `<${flatten(fn['Ref'])}>`;
  }
  return JSON.stringify(node);
}
