/**
 * Secrets are referred to by name, partial ARN or full ARN (which ends in a six-character
 * suffix Secrets Manager adds, and may carry `:json-key:version-stage:version-id`). These
 * helpers compare references by the secret's name.
 */
export function secretNameOf(reference: string): string {
  const marker = ':secret:';
  const at = reference.indexOf(marker);
  if (!reference.startsWith('arn:') || at < 0) return reference;
  return reference.slice(at + marker.length).split(':')[0];
}

/** Whether two references name the same secret; a full ARN's random suffix is optional. */
export function sameSecret(a: string, b: string): boolean {
  const names = (ref: string) => {
    const name = secretNameOf(ref);
    const unsuffixed = /^(.+)-[A-Za-z0-9]{6}$/.exec(name)?.[1];
    return ref.startsWith('arn:') && unsuffixed ? [name, unsuffixed] : [name];
  };
  const left = names(a);
  return names(b).some((name) => left.includes(name));
}
