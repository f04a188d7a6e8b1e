import { parseImage } from './image-reference.js';

/** Which shell /bin/sh is: busybox ash, Debian's dash, or bash; they word errors and prompts differently. */
export type ShellStyle = 'ash' | 'dash' | 'bash';

/** What an image holds, as far as a process inside it can tell. */
export interface ImageProfile {
  /** The repository's last path component (`nginx`), the key of its default program. */
  name: string;
  /** /bin/sh and the usual utilities, or none at all (pause). */
  sh?: ShellStyle;
  hasBash: boolean;
  osRelease?: string;
}

const osRelease = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${key}=${/^[A-Za-z0-9._-]+$/.test(value) ? value : `"${value}"`}\n`)
    .join('');

const BASES: Record<string, Omit<ImageProfile, 'name'>> = {
  debian: {
    sh: 'dash',
    hasBash: true,
    osRelease: osRelease({ PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)', NAME: 'Debian GNU/Linux', VERSION_ID: '12', VERSION: '12 (bookworm)', VERSION_CODENAME: 'bookworm', ID: 'debian' }),
  },
  ubuntu: {
    sh: 'dash',
    hasBash: true,
    osRelease: osRelease({ PRETTY_NAME: 'Ubuntu 24.04.1 LTS', NAME: 'Ubuntu', VERSION_ID: '24.04', VERSION: '24.04.1 LTS (Noble Numbat)', VERSION_CODENAME: 'noble', ID: 'ubuntu', ID_LIKE: 'debian' }),
  },
  alpine: { sh: 'ash', hasBash: false, osRelease: osRelease({ NAME: 'Alpine Linux', ID: 'alpine', VERSION_ID: '3.21.0', PRETTY_NAME: 'Alpine Linux v3.21' }) },
  busybox: { sh: 'ash', hasBash: false },
  // The official mysql image is built on Oracle Linux, whose /bin/sh is bash.
  oraclelinux: { sh: 'bash', hasBash: true, osRelease: osRelease({ NAME: 'Oracle Linux Server', VERSION: '9.5', ID: 'ol', VERSION_ID: '9.5', PRETTY_NAME: 'Oracle Linux Server 9.5' }) },
  scratch: { hasBash: false },
};

/** The base each well-known image is built on; unknown images are assumed Debian-based, as most are. */
const BASE_OF: Record<string, keyof typeof BASES> = {
  busybox: 'busybox',
  alpine: 'alpine',
  ubuntu: 'ubuntu',
  mysql: 'oraclelinux',
  pause: 'scratch',
};

export function imageProfile(ref: string): ImageProfile {
  const { path, tag } = parseImage(ref);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const base = BASE_OF[name] ?? (tag?.includes('alpine') ? 'alpine' : 'debian');
  return { name, ...BASES[base]! };
}
