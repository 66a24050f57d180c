/**
 * Fargate's task sizes: the memory values (MiB) each CPU size allows, from the ECS task
 * definition reference; RegisterTaskDefinition rejects any other pair.
 */
const memoryByCpu: ReadonlyMap<number, { allowed: readonly number[]; text: string }> = new Map([
  [256, listed([512, 1024, 2048])],
  [512, stepped(1024, 4096, 1024)],
  [1024, stepped(2048, 8192, 1024)],
  [2048, stepped(4096, 16384, 1024)],
  [4096, stepped(8192, 30720, 1024)],
  [8192, stepped(16384, 61440, 4096)],
  [16384, stepped(32768, 122880, 8192)],
]);

function listed(allowed: number[]) {
  return { allowed, text: `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` };
}

function stepped(min: number, max: number, step: number) {
  const allowed: number[] = [];
  for (let memory = min; memory <= max; memory += step) allowed.push(memory);
  return { allowed, text: `${min} to ${max} in steps of ${step}` };
}

/** Why `memory` does not fit `cpu` on Fargate, or undefined when it does. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const size = memoryByCpu.get(cpu);
  if (size === undefined) return `cpu ${cpu} is not a Fargate size`;
  if (size.allowed.includes(memory)) return undefined;
  return `must be ${size.text} MiB with cpu ${cpu} on Fargate`;
}
