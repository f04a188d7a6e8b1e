import { StatusError } from '../../api/status.js';
import type { Registry } from '../../registry/index.js';
import { ignoreNotFound, type ResourceStore, type WatchHandle } from '../../registry/generic/resource-store.js';
import { metaOf } from '../../registry/generic/object-meta.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import { updatedConditions, type ContentTotals, type NamespaceCondition } from './namespace-conditions.js';

/** The namespace's spec.finalizers entry this controller owns (v1.FinalizerKubernetes). */
const FINALIZER_KUBERNETES = 'kubernetes';

interface Termination {
  /** Watches of the namespace's content: any change may let the deletion progress. */
  watches: WatchHandle[];
  running: boolean;
  again: boolean;
}

type Namespace = KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string; conditions?: NamespaceCondition[] } };

/**
 * The namespace controller of kube-controller-manager: a namespace marked for
 * deletion is kept Terminating while its content is deleted through ordinary
 * deletion (so finalizers and grace periods hold objects back), with the
 * deleter's status conditions saying what remains; once nothing is left its
 * `kubernetes` finalizer is removed through the finalize subresource, which
 * removes the namespace. Work follows watch events: the namespaces, and the
 * content of each namespace while it terminates. Returns a stop function.
 */
export function runNamespaceController(store: ResourceStore, registry: Registry): () => void {
  const namespaces = registry.lookup('', 'v1', 'namespaces')!;
  // The namespaced resources a namespace's content is made of, asked anew as custom resources come and go.
  const content = (): ResourceType[] => store.storedTypes().filter((rt) => rt.namespaced && rt.verbs.includes('delete') && rt.verbs.includes('list'));
  const terminating = new Map<string, Termination>();
  let stopped = false;

  const schedule = (name: string): void => {
    const termination = terminating.get(name);
    if (!termination || stopped) return;
    if (termination.running) {
      termination.again = true;
      return;
    }
    termination.running = true;
    void (async () => {
      try {
        do {
          termination.again = false;
          await sync(name);
        } while (termination.again && !stopped && terminating.get(name) === termination);
      } catch (err) {
        // A write that lost a race is tried again on the next event; anything else is a bug.
        if (!stopped && !(err instanceof StatusError)) throw err;
      } finally {
        termination.running = false;
      }
    })();
  };

  const end = (name: string): void => {
    terminating.get(name)?.watches.forEach((w) => w.cancel());
    terminating.delete(name);
  };

  const sync = async (name: string): Promise<void> => {
    const ns = store.find(namespaces, '', name) as Namespace | undefined;
    if (!ns || !metaOf(ns).deletionTimestamp) return end(name);
    if (ns.status?.phase !== 'Terminating') {
      await store.update(namespaces, '', name, (current) => ({ ...current, status: { ...(current.status as object), phase: 'Terminating' } }), { subresource: 'status' });
    }
    if ((ns.spec?.finalizers ?? []).length === 0) return;
    const totals = await deleteAllContent(store, content(), ns);
    await store.update(
      namespaces,
      '',
      name,
      (current: Namespace) => {
        const conditions = updatedConditions(current.status?.conditions ?? [], totals);
        return conditions ? { ...current, status: { ...current.status, conditions } } : current;
      },
      { subresource: 'status' },
    );
    if (totals.remainingByResource.size > 0 || totals.deleteErrors.length > 0) return;
    const uid = metaOf(ns).uid;
    await store
      .update(
        namespaces,
        '',
        name,
        (current: Namespace) => {
          if (metaOf(current).uid !== uid) return current;
          const finalizers = (current.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES).sort();
          return { ...current, spec: { ...current.spec, finalizers } };
        },
        { subresource: 'finalize' },
      )
      .catch(ignoreNotFound);
  };

  const handle = store.watch(namespaces, '', { sendInitialEvents: true }, (type, object) => {
    const name = metaOf(object).name!;
    if (type === 'DELETED') return end(name);
    if (!metaOf(object).deletionTimestamp) return;
    if (!terminating.has(name)) {
      const watches = content().map((rt) => store.watch(rt, name, { sendInitialEvents: false }, () => schedule(name)));
      terminating.set(name, { watches, running: false, again: false });
    }
    schedule(name);
  });

  return () => {
    stopped = true;
    handle.cancel();
    for (const name of [...terminating.keys()]) end(name);
  };
}

/** How long terminating pods may still take (the longest grace period), 0 once that time since the namespace's deletion is over. */
function podsEstimate(pods: readonly KubeObject[], deletedAt: string): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    estimate = Math.max(estimate, (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? 0);
  }
  return Date.now() - Date.parse(deletedAt) >= estimate * 1000 ? 0 : estimate;
}

/**
 * One pass of the deleter: every object of every content type deleted in the
 * background, then what remains counted by resource and by finalizer.
 */
async function deleteAllContent(store: ResourceStore, content: readonly ResourceType[], ns: Namespace): Promise<ContentTotals> {
  const namespace = metaOf(ns).name!;
  const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map(), deleteErrors: [] };
  for (const rt of content) {
    const items = store.list(rt, namespace).items;
    if (items.length === 0) continue;
    const estimate = rt.group === '' && rt.plural === 'pods' ? podsEstimate(items, metaOf(ns).deletionTimestamp!) : 0;
    try {
      for (const item of items) await store.delete(rt, namespace, metaOf(item).name!, { propagationPolicy: 'Background' }).catch(ignoreNotFound);
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      totals.deleteErrors.push(err.message);
      continue;
    }
    const remaining = store.list(rt, namespace).items;
    if (remaining.length === 0) continue;
    const finalizers = new Map<string, number>();
    for (const item of remaining) for (const f of metaOf(item).finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    totals.remainingByResource.set(`${rt.plural}.${rt.group}`, remaining.length);
    for (const [f, n] of finalizers) totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + n);
    // Objects without finalizers outlive their delete only while pods terminate gracefully.
    if (estimate === 0 && finalizers.size === 0) {
      totals.deleteErrors.push(`unexpected items still remain in namespace: ${namespace} for gvr: ${rt.group}/${rt.version}, Resource=${rt.plural}`);
    }
  }
  return totals;
}
