/** The objects a node may reach through the pods bound to it (upstream's node authorizer graph). */
export type RelatedResource = 'pods' | 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'persistentvolumes' | 'serviceaccounts';

type Ref = { name?: string; namespace?: string } | null | undefined;
type EnvSource = { secretRef?: Ref; configMapRef?: Ref };
type Env = { valueFrom?: { secretKeyRef?: Ref; configMapKeyRef?: Ref } | null };
type Container = { env?: Env[] | null; envFrom?: EnvSource[] | null };
type Volume = Record<string, unknown> & {
  name?: string;
  secret?: { secretName?: string } | null;
  configMap?: Ref;
  azureFile?: { secretName?: string } | null;
  csi?: { nodePublishSecretRef?: Ref } | null;
  projected?: { sources?: { secret?: Ref; configMap?: Ref }[] | null } | null;
  persistentVolumeClaim?: { claimName?: string } | null;
  ephemeral?: unknown;
};
type PodObject = {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> | null };
  spec?: {
    nodeName?: string;
    serviceAccountName?: string;
    imagePullSecrets?: Ref[] | null;
    containers?: Container[] | null;
    initContainers?: Container[] | null;
    ephemeralContainers?: Container[] | null;
    volumes?: Volume[] | null;
  };
};
type PVSource = { secretName?: string; secretNamespace?: string; secretRef?: Ref; nodePublishSecretRef?: Ref; nodeStageSecretRef?: Ref };
type PVObject = { metadata?: { name?: string }; spec?: Record<string, PVSource | null | undefined> & { claimRef?: Ref } };

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** Pod volume sources that name a secret in the pod's namespace through `secretRef` (VisitPodSecretNames). */
const POD_VOLUME_SECRET_REFS = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos'];

const key = (resource: RelatedResource, namespace: string, name: string): string => `${resource}/${namespace}/${name}`;

/** Keys of everything a bound pod makes its node related to (upstream's AddPod), the pod itself first. */
function podReferences(pod: PodObject, namespace: string, name: string): Set<string> {
  const refs = new Set([key('pods', namespace, name)]);
  // A node creates its mirror pods itself, so they must not grant it anything more.
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return refs;
  const spec = pod.spec ?? {};
  const add = (resource: RelatedResource, ref: string | undefined): void => {
    if (ref) refs.add(key(resource, namespace, ref));
  };
  // The ServiceAccount admission plugin sets the name upstream; we store pods as given.
  add('serviceaccounts', spec.serviceAccountName || 'default');
  for (const ref of spec.imagePullSecrets ?? []) add('secrets', ref?.name);
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const source of container.envFrom ?? []) {
      add('secrets', source.secretRef?.name);
      add('configmaps', source.configMapRef?.name);
    }
    for (const env of container.env ?? []) {
      add('secrets', env.valueFrom?.secretKeyRef?.name);
      add('configmaps', env.valueFrom?.configMapKeyRef?.name);
    }
  }
  for (const volume of spec.volumes ?? []) {
    add('secrets', volume.secret?.secretName);
    add('secrets', volume.azureFile?.secretName);
    add('secrets', volume.csi?.nodePublishSecretRef?.name);
    for (const field of POD_VOLUME_SECRET_REFS) add('secrets', (volume[field] as { secretRef?: Ref } | null | undefined)?.secretRef?.name);
    add('configmaps', volume.configMap?.name);
    for (const source of volume.projected?.sources ?? []) {
      add('secrets', source.secret?.name);
      add('configmaps', source.configMap?.name);
    }
    add('persistentvolumeclaims', volume.persistentVolumeClaim?.claimName);
    // The ephemeral volume controller names the claim it creates <pod>-<volume>.
    if (volume.ephemeral) add('persistentvolumeclaims', `${name}-${volume.name ?? ''}`);
  }
  return refs;
}

/**
 * Secrets a bound PV lets the kubelet read (VisitPVSecretNames, kubelet-visible
 * ones only: not CSI's controller secrets). Only the PV's first volume source
 * counts, as upstream's switch does; some sources default the secret's
 * namespace to the claim's.
 */
function pvSecrets(spec: NonNullable<PVObject['spec']>, claimNamespace: string): string[] {
  const secrets: string[] = [];
  const add = (namespace: string | undefined, name: string | undefined): void => {
    if (name) secrets.push(key('secrets', namespace ?? '', name));
  };
  const orClaim = (namespace: string | undefined): string => namespace || claimNamespace;
  const visits: [string, (s: PVSource) => void][] = [
    ['azureFile', (s) => add(orClaim(s.secretNamespace), s.secretName)],
    ['cephfs', (s) => add(orClaim(s.secretRef?.namespace), s.secretRef?.name)],
    ['cinder', (s) => add(s.secretRef?.namespace, s.secretRef?.name)],
    ['flexVolume', (s) => add(orClaim(s.secretRef?.namespace), s.secretRef?.name)],
    ['rbd', (s) => add(orClaim(s.secretRef?.namespace), s.secretRef?.name)],
    ['scaleIO', (s) => add(orClaim(s.secretRef?.namespace), s.secretRef?.name)],
    ['iscsi', (s) => add(orClaim(s.secretRef?.namespace), s.secretRef?.name)],
    ['storageos', (s) => add(s.secretRef?.namespace, s.secretRef?.name)],
    [
      'csi',
      (s) => {
        add(s.nodePublishSecretRef?.namespace, s.nodePublishSecretRef?.name);
        add(s.nodeStageSecretRef?.namespace, s.nodeStageSecretRef?.name);
      },
    ],
  ];
  const found = visits.find(([field]) => spec[field]);
  if (found) found[1](spec[found[0]]!);
  return secrets;
}

/**
 * Which objects each node may read because of the pods bound to it, kept
 * current from pod and PV events. Upstream keeps a graph and walks it
 * (node <- pod <- secret/configmap/pvc/serviceaccount, pvc <- pv <- secret);
 * we keep, per object, how many pods on each node reference it, so that a
 * decision is a few map lookups. VolumeAttachments, ResourceClaims and
 * ResourceSlices are not served here, so their edges are not tracked.
 */
export class NodeGraph {
  /** Per bound pod (namespace/name): its node and what it references. */
  private readonly pods = new Map<string, { node: string; refs: Set<string> }>();
  /** Per referenced object: node -> number of that node's pods referencing it. */
  private readonly nodesOf = new Map<string, Map<string, number>>();
  /** Per PV with a claimRef: its claim and the secrets it grants. */
  private readonly pvs = new Map<string, { claim: string; secrets: string[] }>();
  /** Per secret: the PVs referencing it. */
  private readonly pvsBySecret = new Map<string, Set<string>>();

  apply(kind: 'Pod' | 'PersistentVolume', type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Record<string, unknown>): void {
    if (kind === 'Pod') this.applyPod(type, object as PodObject);
    else this.applyPV(type, object as PVObject);
  }

  /** Whether the node reaches this object through a pod bound to it. */
  related(node: string, resource: RelatedResource, namespace: string, name: string): boolean {
    if (resource === 'persistentvolumes') return this.pvReaches(name, node);
    const id = key(resource, namespace, name);
    if (this.count(id, node) > 0) return true;
    if (resource !== 'secrets') return false;
    for (const pv of this.pvsBySecret.get(id) ?? []) if (this.pvReaches(pv, node)) return true;
    return false;
  }

  private count(id: string, node: string): number {
    return this.nodesOf.get(id)?.get(node) ?? 0;
  }

  private pvReaches(pv: string, node: string): boolean {
    const claim = this.pvs.get(pv)?.claim;
    return claim !== undefined && this.count(claim, node) > 0;
  }

  // A pod is re-indexed whole on every event: a move to another node (which
  // upstream forbids, the simulator does not) takes its references along.
  private applyPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: PodObject): void {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const id = `${namespace}/${name}`;
    const old = this.pods.get(id);
    if (old) {
      this.pods.delete(id);
      for (const ref of old.refs) this.adjust(ref, old.node, -1);
    }
    const node = pod.spec?.nodeName;
    // Unbound pods relate to no node.
    if (type === 'DELETED' || !node) return;
    const refs = podReferences(pod, namespace, name);
    this.pods.set(id, { node, refs });
    for (const ref of refs) this.adjust(ref, node, 1);
  }

  private adjust(id: string, node: string, delta: number): void {
    let counts = this.nodesOf.get(id);
    if (!counts) this.nodesOf.set(id, (counts = new Map()));
    const next = (counts.get(node) ?? 0) + delta;
    if (next > 0) counts.set(node, next);
    else {
      counts.delete(node);
      if (counts.size === 0) this.nodesOf.delete(id);
    }
  }

  private applyPV(type: 'ADDED' | 'MODIFIED' | 'DELETED', pv: PVObject): void {
    const name = pv.metadata?.name ?? '';
    const old = this.pvs.get(name);
    if (old) {
      this.pvs.delete(name);
      for (const secret of old.secrets) {
        const users = this.pvsBySecret.get(secret);
        users?.delete(name);
        if (users?.size === 0) this.pvsBySecret.delete(secret);
      }
    }
    // Only the PV's claimRef binds it (the claim's volumeName is the claimant's word, not the volume's).
    const claimRef = pv.spec?.claimRef;
    if (type === 'DELETED' || !claimRef) return;
    const claimNamespace = claimRef.namespace ?? '';
    const secrets = pvSecrets(pv.spec!, claimNamespace);
    this.pvs.set(name, { claim: key('persistentvolumeclaims', claimNamespace, claimRef.name ?? ''), secrets });
    for (const secret of secrets) {
      let users = this.pvsBySecret.get(secret);
      if (!users) this.pvsBySecret.set(secret, (users = new Set()));
      users.add(name);
    }
  }
}
