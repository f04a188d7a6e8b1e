/**
 * The resize stream: a sequence of JSON objects `{"Width":80,"Height":24}`
 * with no separator guarantees (upstream reads it with a json.Decoder, which
 * also matches keys case-insensitively). Exposed as an async iterable that
 * ends with the stream or at the first undecodable value, as upstream stops.
 */
export interface TerminalSize { width: number; height: number }

export class TerminalSizeQueue implements AsyncIterable<TerminalSize> {
  private text = '';
  private readonly ready: TerminalSize[] = [];
  private waiting: ((r: IteratorResult<TerminalSize>) => void) | null = null;
  private done = false;

  /** Bytes from the resize channel or stream. */
  feed(bytes: Buffer): void {
    if (this.done) return;
    this.text += bytes.toString('utf8');
    for (let end = objectEnd(this.text); end > 0; end = objectEnd(this.text)) {
      const json = this.text.slice(0, end);
      this.text = this.text.slice(end);
      const size = parseSize(json);
      if (!size) return this.end();
      this.deliver(size);
    }
    if (this.text.trim() !== '' && !this.text.trimStart().startsWith('{')) this.end();
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  private deliver(size: TerminalSize): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: size, done: false });
    } else {
      this.ready.push(size);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const size = this.ready.shift();
        if (size) return Promise.resolve({ value: size, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** Index just past the first complete top-level `{...}` in text, or 0. */
function objectEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return 0;
}

function parseSize(json: string): TerminalSize | null {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const field = (name: string): number => {
      const key = Object.keys(value).find((k) => k.toLowerCase() === name);
      const n = key === undefined ? 0 : value[key];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffff) throw new Error('bad size');
      return n;
    };
    return { width: field('width'), height: field('height') };
  } catch {
    return null;
  }
}
