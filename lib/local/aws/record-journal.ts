import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An emulator's records as an append-only file of JSON lines, one changed record a line: a change
 * costs one small append instead of a rewrite of every record (a fleet registers a task
 * definition revision per rollout). Loading replays the lines, the last line for a key winning,
 * and ignores a torn last line left by a crash mid-append. Once the file holds more than twice
 * the live records (plus some slack), it is written again compactly through a rename, so a crash
 * mid-rewrite leaves the previous file intact. Without a path nothing is kept.
 */
export class RecordJournal<T> {
  private lines = 0;

  constructor(
    private readonly path: string | undefined,
    private readonly keyOf: (record: T) => string,
  ) {}

  exists(): boolean {
    return this.path !== undefined && existsSync(this.path);
  }

  load(): T[] {
    if (!this.path || !existsSync(this.path)) return [];
    const latest = new Map<string, T>();
    const lines = readFileSync(this.path, 'utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      let record: T;
      try {
        record = JSON.parse(line) as T;
      } catch (error) {
        if (index === lines.length - 1) break;
        throw new Error(`${this.path} line ${index + 1} is not JSON`, { cause: error });
      }
      latest.set(this.keyOf(record), record);
      this.lines++;
    }
    return [...latest.values()];
  }

  /** Appends the records that changed; `all` gives every live record for a compaction. */
  append(changed: readonly T[], all: () => readonly T[]): void {
    if (!this.path || changed.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, changed.map((record) => `${JSON.stringify(record)}\n`).join(''));
    this.lines += changed.length;
    const live = all();
    if (this.lines > 2 * live.length + 64) this.rewrite(live);
  }

  rewrite(records: readonly T[]): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    renameSync(temporary, this.path);
    this.lines = records.length;
  }
}
