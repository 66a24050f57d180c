import type { BatchOperation, Store, SubDb } from 'dynalite/db/index.js';
import type { Item } from './stream-records.js';

/** What one write did to one item: the images its stream record is made of. */
export interface ItemChange {
  table: string;
  before: Item | undefined;
  after: Item | undefined;
}

/** Item images by `table \0 store key`, as the views below see them. */
export type Images = Map<string, { table: string; before: Item | undefined; after: Item | undefined; written: boolean }>;

/** Where `images` keeps the image of item `key` of `table`. */
export const imageKey = (table: string, key: string) => `${table}\u0000${key}`;

/**
 * The store as dynalite's own write actions see it, with every item read and write noted in
 * `images`. An action reads the item under dynalite's item lock before it writes it, so the
 * read is the write's old image and the value written its new one: one storage read and one
 * storage write per item, and no read after (the old proxy read before and after over HTTP).
 */
export function recordingStore(store: Store, images: Images): Store {
  const view = Object.create(store) as Store;
  view.getItemDb = (table) => {
    const base = store.getItemDb(table);
    const note = (key: string) => {
      let image = images.get(imageKey(table, key));
      if (!image) images.set(imageKey(table, key), (image = { table, before: undefined, after: undefined, written: false }));
      return image;
    };
    return Object.assign(Object.create(base) as SubDb, {
      get: (key: string, callback: Parameters<SubDb['get']>[1]) =>
        base.get(key, (error, value) => {
          if (!error || error.name === 'NotFoundError') note(key).before = (value ?? undefined) as Item | undefined;
          callback(error, value);
        }),
      put: (key: string, value: unknown, callback: Parameters<SubDb['put']>[2]) =>
        base.put(key, value, (error) => {
          if (!error) Object.assign(note(key), { after: value as Item, written: true });
          callback(error);
        }),
      del: (key: string, callback: Parameters<SubDb['del']>[1]) =>
        base.del(key, (error) => {
          if (!error) Object.assign(note(key), { after: undefined, written: true });
          callback(error);
        }),
    });
  };
  return view;
}

/** The changes `images` holds, in the order the items were first touched. */
export function changesOf(images: Images): ItemChange[] {
  return [...images.values()].filter((image) => image.written).map(({ table, before, after }) => ({ table, before, after }));
}

/**
 * The store as a transaction's actions see it while it holds their items' locks: reads of those
 * items answer the images read when the locks were taken (no second read), dynalite's item lock
 * is already held, and writes — to items and to index entries alike — are staged in `staged`
 * instead of stored, for one LevelDB batch at commit: all of the transaction or none of it.
 * Key prefixes are dynalite's own (db/index.js getItemDb/getIndexDb: `item-<table>~`,
 * `index-<type>~<table>~<index>~`).
 */
export function stagingStore(store: Store, read: Images, staged: BatchOperation[]): Store {
  const view = Object.create(store) as Store;
  const staging = (base: SubDb, prefix: string, table?: string): SubDb =>
    Object.assign(Object.create(base) as SubDb, {
      lock: (_keys: string | string[], exec: Parameters<SubDb['lock']>[1]) => exec((done) => done),
      get: (key: string, callback: Parameters<SubDb['get']>[1]) => {
        const image = table === undefined ? undefined : read.get(imageKey(table, key));
        if (image) callback(null, image.before);
        else base.get(key, callback);
      },
      put: (key: string, value: unknown, callback: Parameters<SubDb['put']>[2]) => {
        staged.push({ type: 'put', key: prefix + key, value });
        const image = table === undefined ? undefined : read.get(imageKey(table, key));
        if (image) Object.assign(image, { after: value as Item, written: true });
        callback(null);
      },
      del: (key: string, callback: Parameters<SubDb['del']>[1]) => {
        staged.push({ type: 'del', key: prefix + key });
        const image = table === undefined ? undefined : read.get(imageKey(table, key));
        if (image) Object.assign(image, { after: undefined, written: true });
        callback(null);
      },
    });
  view.getItemDb = (table) => staging(store.getItemDb(table), `item-${table}~`, table);
  view.getIndexDb = (type, table, index) => staging(store.getIndexDb(type, table, index), `index-${type.toLowerCase()}~${table}~${index}~`);
  return view;
}

/** Notes `before` as the image of item `key` of `table`, read under its lock. */
export function noteRead(images: Images, table: string, key: string, before: Item | undefined): void {
  images.set(imageKey(table, key), { table, before, after: before, written: false });
}
