import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One emulator's state as a JSON file, so task definitions, clusters and secrets survive a restart
 * of local mode like the DynamoDB data does. Written whole (the state is small) through a rename,
 * so a crash mid-write leaves the previous file intact. Without a path nothing is kept.
 */
export class StateFile<T> {
  constructor(private readonly path: string | undefined) {}

  load(): T | undefined {
    if (!this.path || !existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }

  save(state: T): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.path);
  }
}
