import { type ContainerView, KERNEL, podIPOf } from './container-view.js';

/** What an image's own program does when it starts: servers run, REPLs and shells without input end at once. */
export interface ImageProgram {
  state: 'running' | 'exited';
  exitCode?: number;
  lines: string[];
}

/** The binaries that start an image's program, so `command: [nginx, -g, daemon off;]` behaves like the default. */
export const PROGRAM_BINARIES: Record<string, string[]> = {
  nginx: ['nginx', 'docker-entrypoint.sh'],
  httpd: ['httpd-foreground', 'httpd'],
  redis: ['redis-server', 'docker-entrypoint.sh'],
  postgres: ['postgres', 'docker-entrypoint.sh'],
  mysql: ['mysqld', 'docker-entrypoint.sh'],
  pause: ['pause'],
  python: ['python', 'python3'],
  node: ['node'],
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** nginx's error-log time: `2025/01/31 12:00:00`. */
const nginxTime = (d: Date): string => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
/** redis' log time: `31 Jan 2025 12:00:00.000`. */
const redisTime = (d: Date): string => `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
/** Apache's log time: `Fri Jan 31 12:00:00.000000 2025`. */
const apacheTime = (d: Date): string => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.toISOString().slice(11, 23)}000 ${d.getUTCFullYear()}`;
/** PostgreSQL's and MySQL's log time: `2025-01-31 12:00:00.000 UTC`. */
const sqlTime = (d: Date): string => `${d.toISOString().slice(0, 23).replace('T', ' ')} UTC`;

const running = (lines: string[]): ImageProgram => ({ state: 'running', lines });
const completed: ImageProgram = { state: 'exited', exitCode: 0, lines: [] };

const PROGRAMS: Record<string, (view: ContainerView, now: Date) => ImageProgram> = {
  nginx: (_view, now) =>
    running([
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ...['using the "epoll" event method', 'nginx/1.27.3', `OS: Linux ${KERNEL.release}`, 'start worker processes', 'start worker process 29'].map((text) => `${nginxTime(now)} [notice] 1#1: ${text}`),
    ]),
  httpd: (view, now) =>
    running([
      `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${podIPOf(view) ?? '127.0.0.1'}. Set the 'ServerName' directive globally to suppress this message`,
      `[${apacheTime(now)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations`,
      `[${apacheTime(now)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
    ]),
  redis: (_view, now) =>
    running([
      `1:C ${redisTime(now)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${redisTime(now)} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:C ${redisTime(now)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
      `1:M ${redisTime(now)} * Running mode=standalone, port=6379.`,
      `1:M ${redisTime(now)} * Server initialized`,
      `1:M ${redisTime(now)} * Ready to accept connections tcp`,
    ]),
  postgres: (view, now) =>
    view.env.POSTGRES_PASSWORD || view.env.POSTGRES_HOST_AUTH_METHOD === 'trust'
      ? running([
          'The files belonging to this database system will be owned by user "postgres".',
          'Success. You can now start the database server using:',
          `${sqlTime(now)} [1] LOG:  starting PostgreSQL 17.2 (Debian 17.2-1.pgdg120+1) on x86_64-pc-linux-gnu`,
          `${sqlTime(now)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
          `${sqlTime(now)} [1] LOG:  database system is ready to accept connections`,
        ])
      : {
          state: 'exited',
          exitCode: 1,
          // The entrypoint refuses to initialise a database without a superuser password.
          lines: [
            'Error: Database is uninitialized and superuser password is not specified.',
            '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
            '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
          ],
        },
  mysql: (view, now) =>
    view.env.MYSQL_ROOT_PASSWORD || view.env.MYSQL_ALLOW_EMPTY_PASSWORD || view.env.MYSQL_RANDOM_ROOT_PASSWORD
      ? running([
          `${sqlTime(now)}+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.1.0-1.el9 started.`,
          `${sqlTime(now)}+00:00 [Note] [Entrypoint]: Initializing database files`,
          `${now.toISOString()} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.1.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
        ])
      : {
          state: 'exited',
          exitCode: 1,
          lines: [
            `${sqlTime(now)}+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.1.0-1.el9 started.`,
            `${sqlTime(now)}+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
            '    You need to specify one of the following as an environment variable:',
            '    - MYSQL_ROOT_PASSWORD',
            '    - MYSQL_ALLOW_EMPTY_PASSWORD',
            '    - MYSQL_RANDOM_ROOT_PASSWORD',
          ],
        },
  pause: () => running([]),
  // Without a terminal, a REPL reads end of input and ends at once, as does a shell.
  python: () => completed,
  node: () => completed,
  busybox: () => completed,
  alpine: () => completed,
  ubuntu: () => completed,
  debian: () => completed,
};

/** The image's default program; an unknown image is taken to be a quiet server. */
export function imageProgram(name: string, view: ContainerView): ImageProgram {
  return (PROGRAMS[name] ?? (() => running([])))(view, view.now());
}
