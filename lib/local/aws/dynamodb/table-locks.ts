/**
 * Serialises writes per table so the images read before and after a write belong to that write
 * alone (no other write to the table can slip in between).
 */
export class TableLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Whether any table is locked (cheap: lets unlocked reads skip parsing their request). */
  get anyHeld(): boolean {
    return this.tails.size > 0;
  }

  isHeld(table: string): boolean {
    return this.tails.has(table);
  }

  async withTables<T>(tables: string[], work: () => Promise<T>): Promise<T> {
    // Acquire in sorted order so two multi-table batches cannot deadlock each other.
    const sorted = [...new Set(tables)].sort();
    const releases: (() => void)[] = [];
    for (const table of sorted) releases.push(await this.acquire(table));
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  private async acquire(table: string): Promise<() => void> {
    const previous = this.tails.get(table) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(table, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(table) === tail) this.tails.delete(table);
    };
  }
}
