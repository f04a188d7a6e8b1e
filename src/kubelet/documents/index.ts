export { readNodeFacts, readFsFacts, goArch, type NodeFacts, type NodeFactsOptions, type FsFacts } from './node-facts.js';
export { statsSummary, type StatsSummaryOptions } from './stats-summary.js';
export { kubeletMetrics, probeMetrics } from './kubelet-metrics.js';
export { cadvisorMetrics } from './cadvisor-metrics.js';
export { resourceMetrics } from './resource-metrics.js';
export { PROMETHEUS_CONTENT_TYPE, renderFamilies, type MetricFamily, type Sample } from './prometheus.js';
export { configz, parseEvictionHard, parseFeatureGates, type KubeletFlagValues } from './configz.js';
export { machineInfo, machineIds } from './machine-info.js';
export {
  nodeLogDirectory,
  nodeLogListing,
  nodeLogFile,
  nodeLogResponse,
  resolveNodeLogPath,
  LISTING_CONTENT_TYPE,
  LOG_FILE_CONTENT_TYPE,
  type LogNode,
  type NodeLogResponse,
} from './node-logs.js';
