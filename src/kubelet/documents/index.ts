/** The kubelet's read-only documents, as the routes load them together on first use. */
export { statsSummary } from './stats-summary.js';
export { kubeletMetrics, probeMetrics } from './kubelet-metrics.js';
export { cadvisorMetrics } from './cadvisor-metrics.js';
export { resourceMetrics } from './resource-metrics.js';
export { configz } from './configz.js';
export { machineInfo } from './machine-info.js';
export { nodeLogDirectory, nodeLogResponse } from './node-logs.js';
