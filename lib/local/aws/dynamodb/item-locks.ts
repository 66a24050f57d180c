import { canonical, type Item } from './stream-records.js';

/** One item of one table, by its key attributes. */
export interface ItemRef {
  table: string;
  key: Item;
}

/** The identity of an item: its table and its key attributes (in any order). */
export const itemId = (ref: ItemRef): string => `${ref.table}\u0000${canonical(ref.key)}`;

/**
 * Per-item locks in the order requests reach the endpoint. A write (or a transaction, or a
 * BatchGetItem) registers on its items the moment it arrives and runs once every earlier holder
 * of any of them is done, so writes to one item take turns in arrival order while writes to other
 * items of the table go ahead. A GetItem, Query or Scan takes no lock: it only waits for the
 * writes that arrived before it (on its item, or on its table), so a read sent after a write is
 * sent sees it, as the whole-table lock this replaces guaranteed, and code that relies on that
 * order (a message sent before its bookkeeping is written) keeps working.
 */
export class ItemLocks {
  /** Per item, the release of its latest holder. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Per table, the holders running or waiting. */
  private readonly holders = new Map<string, Set<Promise<void>>>();

  /** Registers on `refs` at once (no await before: arrival order); resolves to the release once they are all free. */
  lock(refs: readonly ItemRef[]): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const ids = [...new Set(refs.map(itemId))];
    const before: Promise<void>[] = [];
    for (const id of ids) {
      const previous = this.tails.get(id);
      if (previous) before.push(previous);
      this.tails.set(id, done);
    }
    const tables = [...new Set(refs.map((ref) => ref.table))];
    for (const table of tables) {
      let set = this.holders.get(table);
      if (!set) this.holders.set(table, (set = new Set()));
      set.add(done);
    }
    const unlock = () => {
      release();
      for (const id of ids) if (this.tails.get(id) === done) this.tails.delete(id);
      for (const table of tables) {
        const set = this.holders.get(table);
        set?.delete(done);
        if (set?.size === 0) this.holders.delete(table);
      }
    };
    return before.length === 0 ? Promise.resolve(unlock) : Promise.all(before).then(() => unlock);
  }

  /** Resolves once the holders of `refs` registered so far are done; undefined when there are none (read at once). */
  itemsSettled(refs: readonly ItemRef[]): Promise<unknown> | undefined {
    if (this.tails.size === 0) return undefined;
    const waiting = refs.flatMap((ref) => this.tails.get(itemId(ref)) ?? []);
    return waiting.length === 0 ? undefined : Promise.all(waiting);
  }

  /** Resolves once the holders of items of `table` registered so far are done; undefined when there are none. */
  tableSettled(table: string): Promise<unknown> | undefined {
    const set = this.holders.get(table);
    return set === undefined || set.size === 0 ? undefined : Promise.all([...set]);
  }
}
