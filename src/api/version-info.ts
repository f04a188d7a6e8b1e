/**
 * `version.Info` as kube-apiserver serves it on `/version`. The build facts are
 * those of the released Kubernetes patch versions that match the kubectl
 * binaries clients use, so `kubectl version` and the kubectl dispatcher see a
 * real release.
 */
export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

const RELEASES: Record<string, [gitVersion: string, gitCommit: string, buildDate: string, goVersion: string]> = {
  '1.27': ['v1.27.16', 'cbb86e0d7f4a049666fac0551e8b02ef3d6c3d9a', '2024-07-17T01:53:56Z', 'go1.22.5'],
  '1.28': ['v1.28.15', '841856557ef0f6a399096c42635d114d6f2cf7f4', '2024-10-22T20:34:56Z', 'go1.22.8'],
  '1.29': ['v1.29.14', '4f359b2e16764ab5e175195ee6992dfb53b36acf', '2025-02-12T21:34:28Z', 'go1.22.12'],
  '1.30': ['v1.30.13', '50af91c466658b6a33d123fae8a487db1630971c', '2025-05-15T09:56:59Z', 'go1.23.8'],
  '1.31': ['v1.31.9', '8f3800390d488f54f74111f22973059e133f9cba', '2025-05-15T09:17:16Z', 'go1.23.8'],
  '1.32': ['v1.32.5', '9894294ef13a5b32803e3ca2c0d620a088cc84d1', '2025-05-15T09:12:10Z', 'go1.23.8'],
  '1.33': ['v1.33.1', '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828', '2025-05-15T08:27:33Z', 'go1.24.2'],
};

export const DEFAULT_KUBERNETES_VERSION = '1.32';
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(RELEASES);

/** Accepts `1.32`, `v1.32` or `v1.32.5`; returns undefined for an unsupported minor. */
export function versionInfoFor(version: string): VersionInfo | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!match) return undefined;
  const [, major, minor] = match as unknown as [string, string, string];
  const release = RELEASES[`${major}.${minor}`];
  if (!release) return undefined;
  const [gitVersion, gitCommit, buildDate, goVersion] = release;
  // The emulation and compatibility fields exist from 1.33 on.
  const emulation =
    Number(minor) >= 33
      ? {
          emulationMajor: major,
          emulationMinor: minor,
          minCompatibilityMajor: major,
          minCompatibilityMinor: String(Number(minor) - 1),
        }
      : {};
  return {
    major,
    minor,
    ...emulation,
    gitVersion,
    gitCommit,
    gitTreeState: 'clean',
    buildDate,
    goVersion,
    compiler: 'gc',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
