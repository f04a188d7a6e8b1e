/** The etcd-shaped key-value store: mvcc revisions, transactions, watches, a durable log. */
export { Store, type StoreOptions } from './store.js';
export * from './types.js';
