import { type ContainerView, containerSpecOf, namespaceOf, podIPOf } from './container-view.js';
import { imageProfile } from './image-profile.js';

/**
 * The file system of one simulated container: a small image tree, the files
 * the kubelet mounts (`view.files`) and whatever the processes of this shell
 * session write. Every path resolves inside this tree; nothing maps to the host.
 */
export interface SimFs {
  /** An absolute, normalised path: `..` stops at `/`, as in a chroot. */
  resolve(path: string, cwd?: string): string;
  readFile(path: string, cwd?: string): string | undefined;
  isDir(path: string, cwd?: string): boolean;
  exists(path: string, cwd?: string): boolean;
  /** The sorted entry names of a directory, or undefined when it is not one. */
  list(dir: string, cwd?: string): string[] | undefined;
  /** Writes a file; fails when its directory does not exist or the path is a directory. */
  writeFile(path: string, content: string, cwd?: string): 'ok' | 'no-such-directory' | 'is-directory';
}

const BASE_DIRS = ['/bin', '/dev', '/etc', '/home', '/lib', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr/bin', '/usr/local/bin', '/usr/sbin', '/var/run', '/var/log'];

export function resolvePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of `${path.startsWith('/') ? '' : cwd}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/** /etc/hosts as the kubelet writes it for a pod on the pod network. */
function hostsFile(view: ContainerView): string {
  const spec = (view.pod.spec ?? {}) as { subdomain?: string };
  const ip = podIPOf(view);
  const names = spec.subdomain ? `${view.hostname}.${spec.subdomain}.${namespaceOf(view)}.svc.cluster.local\t${view.hostname}` : view.hostname;
  return [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    ...(ip ? [`${ip}\t${names}`] : []),
    '',
  ].join('\n');
}

function imageFiles(view: ContainerView): [string, string][] {
  const ns = namespaceOf(view);
  const osRelease = imageProfile(containerSpecOf(view).image ?? '').osRelease;
  return [
    ['/dev/null', ''],
    ['/etc/hostname', `${view.hostname}\n`],
    ['/etc/hosts', hostsFile(view)],
    // containerd writes search, nameserver, options in this order from the kubelet's ClusterFirst DNS config.
    ['/etc/resolv.conf', `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.152.183.10\noptions ndots:5\n`],
    ['/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'],
    ['/etc/group', 'root:x:0:\nnogroup:x:65534:\n'],
    ...(osRelease ? ([['/etc/os-release', osRelease]] as [string, string][]) : []),
  ];
}

export function createSimFs(view: ContainerView): SimFs {
  const files = new Map<string, string>(imageFiles(view));
  const dirs = new Set<string>(['/']);
  const addDir = (dir: string): void => {
    for (let d = dir; !dirs.has(d); d = parentOf(d)) dirs.add(d);
  };
  const addFile = (path: string, content: string): void => {
    files.set(path, content);
    addDir(parentOf(path));
  };
  BASE_DIRS.forEach(addDir);
  for (const [path, content] of [...files]) addFile(path, content);
  for (const [path, content] of view.files) addFile(resolvePath(path), content);

  return {
    resolve: resolvePath,
    readFile: (path, cwd) => files.get(resolvePath(path, cwd)),
    isDir: (path, cwd) => dirs.has(resolvePath(path, cwd)),
    exists: (path, cwd) => files.has(resolvePath(path, cwd)) || dirs.has(resolvePath(path, cwd)),
    list(dir, cwd) {
      const path = resolvePath(dir, cwd);
      if (!dirs.has(path)) return undefined;
      const prefix = path === '/' ? '/' : `${path}/`;
      const names = [...dirs, ...files.keys()].filter((p) => p !== '/' && parentOf(p) === path).map((p) => p.slice(prefix.length));
      return names.sort();
    },
    writeFile(path, content, cwd) {
      const target = resolvePath(path, cwd);
      if (dirs.has(target)) return 'is-directory';
      if (!dirs.has(parentOf(target))) return 'no-such-directory';
      files.set(target, content);
      return 'ok';
    },
  };
}
