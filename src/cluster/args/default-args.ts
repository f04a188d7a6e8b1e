/**
 * MicroK8s 1.18's `default-args/*`, copied into `current/args/` on first start
 * as the snap's install hook does. `${SNAP_DATA}` and `${SNAP_COMMON}` become
 * the data directory's `current` and `common`; the password file is named
 * `basic_token.csv`, as MicroK8s' ports page names it.
 */
export const ARGS_FILES = [
  'kube-apiserver',
  'kubelet',
  'kube-proxy',
  'kube-scheduler',
  'kube-controller-manager',
  'etcd',
  'cluster-agent',
  'containerd',
] as const;

export type ArgsFileName = (typeof ARGS_FILES)[number];

const TEMPLATES: Record<ArgsFileName | 'containerd.toml', string> = {
  'kube-apiserver': `--cert-dir=\${SNAP_DATA}/certs
--service-cluster-ip-range=10.152.183.0/24
--authorization-mode=AlwaysAllow
--basic-auth-file=\${SNAP_DATA}/credentials/basic_token.csv
--service-account-key-file=\${SNAP_DATA}/certs/serviceaccount.key
--client-ca-file=\${SNAP_DATA}/certs/ca.crt
--tls-cert-file=\${SNAP_DATA}/certs/server.crt
--tls-private-key-file=\${SNAP_DATA}/certs/server.key
--kubelet-client-certificate=\${SNAP_DATA}/certs/server.crt
--kubelet-client-key=\${SNAP_DATA}/certs/server.key
--secure-port=16443
--token-auth-file=\${SNAP_DATA}/credentials/known_tokens.csv
--token-auth-file=\${SNAP_DATA}/credentials/known_tokens.csv
--etcd-servers='https://127.0.0.1:12379'
--etcd-cafile=\${SNAP_DATA}/certs/ca.crt
--etcd-certfile=\${SNAP_DATA}/certs/server.crt
--etcd-keyfile=\${SNAP_DATA}/certs/server.key
--insecure-port=0

# Enable the aggregation layer
--requestheader-client-ca-file=\${SNAP_DATA}/certs/front-proxy-ca.crt
--requestheader-allowed-names=front-proxy-client
--requestheader-extra-headers-prefix=X-Remote-Extra-
--requestheader-group-headers=X-Remote-Group
--requestheader-username-headers=X-Remote-User
--proxy-client-cert-file=\${SNAP_DATA}/certs/front-proxy-client.crt
--proxy-client-key-file=\${SNAP_DATA}/certs/front-proxy-client.key
#~Enable the aggregation layer
`,
  kubelet: `--kubeconfig=\${SNAP_DATA}/credentials/kubelet.config
--cert-dir=\${SNAP_DATA}/certs
--client-ca-file=\${SNAP_DATA}/certs/ca.crt
--anonymous-auth=false
--network-plugin=cni
--root-dir=\${SNAP_COMMON}/var/lib/kubelet
--fail-swap-on=false
--cni-conf-dir=\${SNAP_DATA}/args/cni-network/
--cni-bin-dir=\${SNAP}/opt/cni/bin/
--feature-gates=DevicePlugins=true
--eviction-hard="memory.available<100Mi,nodefs.available<1Gi,imagefs.available<1Gi"
--container-runtime=remote
--container-runtime-endpoint=\${SNAP_COMMON}/run/containerd.sock
--containerd=\${SNAP_COMMON}/run/containerd.sock
--node-labels="microk8s.io/cluster=true"
`,
  'kube-proxy': `--kubeconfig=\${SNAP_DATA}/credentials/proxy.config
--cluster-cidr=10.152.183.0/24
--healthz-bind-address=127.0.0.1
`,
  'kube-scheduler': `--kubeconfig=\${SNAP_DATA}/credentials/scheduler.config
--address=127.0.0.1
`,
  'kube-controller-manager': `--kubeconfig=\${SNAP_DATA}/credentials/controller.config
--service-account-private-key-file=\${SNAP_DATA}/certs/serviceaccount.key
--root-ca-file=\${SNAP_DATA}/certs/ca.crt
--cluster-signing-cert-file=\${SNAP_DATA}/certs/ca.crt
--cluster-signing-key-file=\${SNAP_DATA}/certs/ca.key
--address=127.0.0.1
--use-service-account-credentials
`,
  etcd: `--data-dir=\${SNAP_COMMON}/var/run/etcd
--advertise-client-urls=https://\${DEFAULT_INTERFACE_IP_ADDR}:12379
--listen-client-urls=https://0.0.0.0:12379
--client-cert-auth
--trusted-ca-file=\${SNAP_DATA}/certs/ca.crt
--cert-file=\${SNAP_DATA}/certs/server.crt
--key-file=\${SNAP_DATA}/certs/server.key
--enable-v2=true
`,
  'cluster-agent': `--bind 0.0.0.0:25000
--keyfile "\${SNAP_DATA}/certs/server.key"
--certfile "\${SNAP_DATA}/certs/server.crt"
`,
  containerd: `--config \${SNAP_DATA}/args/containerd.toml
--root \${SNAP_COMMON}/var/lib/containerd
--state \${SNAP_COMMON}/run/containerd
--address \${SNAP_COMMON}/run/containerd.sock
`,
  // The parts of MicroK8s' containerd-template.toml that a client can observe.
  'containerd.toml': `version = 2
oom_score = 0

[grpc]
  uid = 0
  gid = 0
  max_recv_message_size = 16777216
  max_send_message_size = 16777216

[metrics]
  address = "127.0.0.1:1338"
  grpc_histogram = false

[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  sandbox_image = "k8s.gcr.io/pause:3.1"
`,
};

export interface SnapPaths {
  snap: string;
  snapData: string;
  snapCommon: string;
}

/** The default text of one args file, with the snap variables expanded. */
export function defaultArgsText(name: ArgsFileName | 'containerd.toml', paths: SnapPaths): string {
  return TEMPLATES[name]
    .replaceAll('${SNAP_DATA}', paths.snapData)
    .replaceAll('${SNAP_COMMON}', paths.snapCommon)
    .replaceAll('${SNAP}', paths.snap);
}
