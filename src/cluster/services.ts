/**
 * The services of MicroK8s' "Services exposed and ports used" page: one row
 * each, with the args file its port is read from.
 */
export const SERVICES = [
  { key: 'apiserver', name: 'kube-apiserver', scheme: 'https', port: 16443, description: 'API server' },
  { key: 'kubelet', name: 'kubelet', scheme: 'https', port: 10250, description: 'kubelet API (client certificate required)' },
  { key: 'kubeletReadOnly', name: 'kubelet-read-only', scheme: 'http', port: 10255, description: 'kubelet read-only port' },
  { key: 'kubeletHealthz', name: 'kubelet-healthz', scheme: 'http', port: 10248, description: 'kubelet localhost healthz' },
  { key: 'clusterAgent', name: 'cluster-agent', scheme: 'https', port: 25000, description: 'cluster agent' },
  { key: 'etcd', name: 'etcd', scheme: 'https', port: 12379, description: 'etcd client port (client certificate required)' },
  { key: 'etcdPeer', name: 'etcd-peer', scheme: 'http', port: 2380, description: 'etcd peer port' },
  { key: 'controllerManager', name: 'kube-controller-manager', scheme: 'https', port: 10257, description: 'controller-manager secure port' },
  { key: 'scheduler', name: 'kube-scheduler', scheme: 'https', port: 10259, description: 'scheduler secure port' },
  { key: 'schedulerInsecure', name: 'kube-scheduler-insecure', scheme: 'http', port: 10251, description: 'scheduler insecure port' },
  { key: 'controllerManagerInsecure', name: 'kube-controller-manager-insecure', scheme: 'http', port: 10252, description: 'controller-manager insecure port' },
  { key: 'kubeProxyMetrics', name: 'kube-proxy-metrics', scheme: 'http', port: 10249, description: 'kube-proxy metrics' },
  { key: 'kubeProxyHealthz', name: 'kube-proxy-healthz', scheme: 'http', port: 10256, description: 'kube-proxy health check' },
  { key: 'containerdMetrics', name: 'containerd-metrics', scheme: 'http', port: 1338, description: 'containerd metrics' },
] as const;

export type ServiceKey = (typeof SERVICES)[number]['key'];
export type ServiceSpec = (typeof SERVICES)[number];

export type { Endpoint } from '../http/listen.js';

export type Ports = Record<ServiceKey, number>;
