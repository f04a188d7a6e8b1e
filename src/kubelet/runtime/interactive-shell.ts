import { ExitRequest, Interrupted, SIGKILLED } from './process-control.js';
import type { Shell, Streams } from './shell.js';

const SIGINTED = 130;

type InputEvent = { kind: 'line'; text: string } | { kind: 'cancel' } | { kind: 'eof' };

/** A line being run, until the shell is back at its prompt: Ctrl-C aborts it. */
type Running = { text: string; controller: AbortController };

/**
 * Turns the exec's stdin into lines. With a tty it plays the remote
 * terminal's line discipline (the local one is raw): it echoes what is typed,
 * erases on backspace, ends lines on \r, and turns Ctrl-D on an empty line
 * into end of input and Ctrl-C into SIGINT, which stops the running line or
 * cancels the one being typed, and flushes input typed ahead.
 */
function lineReader(stream: NodeJS.ReadableStream, shell: Shell, echo: (text: string) => void): { next(): Promise<InputEvent | Running>; done(): void; close(): void } {
  const events: InputEvent[] = [];
  let running: AbortController | undefined;
  let waiting: (() => void) | undefined;
  let line = '';
  const push = (event: InputEvent): void => {
    events.push(event);
    waiting?.();
  };
  const onData = (chunk: string | Buffer): void => {
    for (const c of chunk.toString()) {
      if (!shell.tty) {
        if (c === '\n') push({ kind: 'line', text: line });
        line = c === '\n' ? '' : line + c;
      } else if (c === '\r' || c === '\n') {
        echo('\r\n');
        push({ kind: 'line', text: line });
        line = '';
      } else if (c === '\x7f' || c === '\b') {
        if (line) echo('\b \b');
        line = line.slice(0, -1);
      } else if (c === '\x03') {
        echo('^C');
        line = '';
        events.length = 0;
        if (running) running.abort(new Interrupted(SIGINTED));
        else push({ kind: 'cancel' });
      } else if (c === '\x04') {
        if (!line) push({ kind: 'eof' });
      } else {
        echo(c);
        line += c;
      }
    }
  };
  const onEnd = (): void => {
    if (line) push({ kind: 'line', text: line });
    line = '';
    push({ kind: 'eof' });
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  return {
    async next() {
      while (!events.length) {
        if (shell.signal.aborted) throw new Interrupted(SIGKILLED);
        await new Promise<void>((resolve) => {
          waiting = resolve;
          shell.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const event = events.shift()!;
      if (event.kind !== 'line') return event;
      running = new AbortController();
      return { text: event.text, controller: running };
    },
    done() {
      running = undefined;
    },
    close() {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
    },
  };
}

/** The prompt of an interactive root shell: busybox's `/ # `, dash's `# `, bash's `root@host:/# `. */
function prompt(shell: Shell): string {
  const home = shell.env.HOME ?? '/root';
  const where = shell.cwd === home ? '~' : shell.cwd.startsWith(`${home}/`) ? `~${shell.cwd.slice(home.length)}` : shell.cwd;
  if (shell.style === 'bash') return `root@${shell.view.hostname}:${where}# `;
  return shell.style === 'ash' ? `${where} # ` : '# ';
}

/**
 * A shell reading commands line by line from the exec's stdin until `exit` or
 * end of input. With a tty it prompts, and Ctrl-C stops the running command.
 */
export async function runInteractive(shell: Shell, stream: NodeJS.ReadableStream, streams: Streams, runLine: (line: string) => Promise<number>): Promise<number> {
  const outer = shell.signal;
  const reader = lineReader(stream, shell, streams.out);
  const showPrompt = (): void => {
    if (shell.tty) streams.out(prompt(shell));
  };
  try {
    showPrompt();
    for (;;) {
      const event = await reader.next();
      if ('kind' in event && event.kind === 'eof') return shell.status;
      if ('kind' in event) {
        streams.out('\n');
        showPrompt();
        continue;
      }
      shell.signal = AbortSignal.any([outer, event.controller.signal]);
      try {
        await runLine(event.text);
      } catch (err) {
        if (err instanceof ExitRequest) return err.status;
        if (!(err instanceof Interrupted) || outer.aborted) throw err;
        shell.status = err.status;
        streams.out('\n');
      } finally {
        shell.signal = outer;
        reader.done();
      }
      shell.lineNo++;
      showPrompt();
    }
  } finally {
    reader.close();
  }
}
