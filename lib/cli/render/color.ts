const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

export type ColorName = keyof typeof CODES;
export type Paint = (color: ColorName, text: string) => string;

/** Colors go to terminals only, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function painter(enabled: boolean): Paint {
  return enabled ? (color, text) => (text === '' ? '' : `\u001b[${CODES[color]}m${text}\u001b[0m`) : (_color, text) => text;
}

const PHASE_COLORS: Record<string, ColorName> = {
  Available: 'green',
  Progressing: 'yellow',
  Pending: 'yellow',
  Paused: 'cyan',
  Degraded: 'yellow',
  Terminating: 'dim',
  Failed: 'red',
  RolledBack: 'red',
};

export function paintPhase(paint: Paint, phase: string | undefined): string {
  if (!phase) return '-';
  const color = PHASE_COLORS[phase];
  return color ? paint(color, phase) : phase;
}
