import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject } from '../types.js';

/** Accessors for `metadata`, which every stored object has. */
export type ObjectMeta = {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
};

/** metadata.ownerReferences[]: the objects this one depends on, by uid, for the garbage collector. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function metaOf(object: KubeObject): ObjectMeta {
  if (typeof object.metadata !== 'object' || object.metadata === null || Array.isArray(object.metadata)) object.metadata = {};
  return object.metadata as ObjectMeta;
}

/** RFC 3339 with seconds, as metav1.Time marshals. */
export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newUid(): string {
  return randomUUID();
}

// apiserver's SimpleNameGenerator: 5 characters without vowels or look-alikes, base cut to fit 63.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 58;

export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return prefix + suffix;
}
