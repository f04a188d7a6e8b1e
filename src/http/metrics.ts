/**
 * Prometheus text exposition (version 0.0.4) of the metrics every Go
 * component exports about its own process.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: number;
  labels?: Record<string, string>;
}

export function processMetrics(startedAt: Date): Metric[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return [
    { name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', type: 'counter', value: (cpu.user + cpu.system) / 1e6 },
    { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', value: memory.rss },
    { name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', type: 'gauge', value: startedAt.getTime() / 1000 },
  ];
}

export function renderMetrics(metrics: Metric[]): string {
  return metrics
    .map((m) => {
      const labels = m.labels ? `{${Object.entries(m.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}` : '';
      return `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n${m.name}${labels} ${m.value}\n`;
    })
    .join('');
}
