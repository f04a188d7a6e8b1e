/**
 * Go's encoding/json as the cluster agent uses it: json.Unmarshal into a
 * struct (its syntax and type errors word for word, since the agent sends them
 * back as `{"error": ...}`) and json.Marshal (compact, HTML-escaped).
 */

/** Where a type error happened: Go's errorContext (innermost struct, JSON field path from the root). */
export interface Context {
  struct: string;
  fields: string[];
  error?: string;
}

/** A Go type the request structs are made of; `read` keeps the first type error in `ctx` and goes on, as Go does. */
export interface GoType<T> {
  readonly name: string;
  zero(): T;
  read(value: unknown, ctx: Context): T;
}

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value === 'object' ? 'object' : typeof value;

function mismatch(value: unknown, type: string, ctx: Context): void {
  ctx.error ??= ctx.struct
    ? `json: cannot unmarshal ${kindOf(value)} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`
    : `json: cannot unmarshal ${kindOf(value)} into Go value of type ${type}`;
}

/** A JSON null leaves Go's zero value, and is no error. */
function scalar<T>(name: string, jsType: 'string' | 'boolean', zero: T): GoType<T> {
  return {
    name,
    zero: () => zero,
    read: (value, ctx) => {
      if (typeof value === jsType) return value as T;
      if (value !== null) mismatch(value, name, ctx);
      return zero;
    },
  };
}

export const goString = scalar('string', 'string', '');
export const goBool = scalar('bool', 'boolean', false);

/** A type with its own UnmarshalJSON that accepts any value (RestartServiceField, WorkerOnlyField). */
export function goCustom<T>(name: string, read: (value: unknown) => T): GoType<T> {
  return { name, zero: () => read(null), read: (value) => read(value) };
}

export function goSlice<T>(elem: GoType<T>): GoType<T[]> {
  const name = `[]${elem.name}`;
  return {
    name,
    zero: () => [],
    read: (value, ctx) => {
      if (Array.isArray(value)) return value.map((v) => elem.read(v, ctx));
      if (value !== null) mismatch(value, name, ctx);
      return [];
    },
  };
}

export function goStringMap(): GoType<Map<string, string>> {
  const name = 'map[string]string';
  return {
    name,
    zero: () => new Map(),
    read: (value, ctx) => {
      const map = new Map<string, string>();
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) map.set(k, goString.read(v, ctx));
      } else if (value !== null) mismatch(value, name, ctx);
      return map;
    },
  };
}

type Fields = Record<string, GoType<unknown>>;
type StructOf<F extends Fields> = { [K in keyof F]: F[K] extends GoType<infer T> ? T : never };

/**
 * A struct `pkg.Name` whose keys are the JSON tags. Keys match exactly or else
 * case-insensitively, unknown keys are ignored, a repeated key's last value wins.
 */
export function goStruct<F extends Fields>(qualifiedName: string, fields: F): GoType<StructOf<F>> {
  const shortName = qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
  const tags = Object.keys(fields);
  const fieldFor = (key: string): string | undefined => (Object.hasOwn(fields, key) ? key : tags.find((t) => t.toLowerCase() === key.toLowerCase()));
  const zero = (): StructOf<F> => Object.fromEntries(tags.map((t) => [t, fields[t]!.zero()])) as StructOf<F>;
  return {
    name: qualifiedName,
    zero,
    read: (value, ctx) => {
      const out = zero();
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        if (value !== null) mismatch(value, qualifiedName, ctx);
        return out;
      }
      for (const [key, v] of Object.entries(value)) {
        const tag = fieldFor(key);
        if (tag === undefined) continue;
        const inner: Context = { struct: shortName, fields: [...ctx.fields, tag] };
        (out as Record<string, unknown>)[tag] = fields[tag]!.read(v, inner);
        ctx.error ??= inner.error;
      }
      return out;
    },
  };
}

/** json.Unmarshal(body, &T): the value, or Go's error text (syntax errors first, then the first type error). */
export function unmarshal<T>(body: Buffer, type: GoType<T>): { value: T } | { error: string } {
  const syntax = checkValid(body);
  if (syntax) return { error: syntax };
  const ctx: Context = { struct: '', fields: [] };
  const value = type.read(JSON.parse(body.toString('utf8')), ctx);
  return ctx.error ? { error: ctx.error } : { value };
}

/** json.Marshal: compact, with <, >, & and the JS line separators escaped as Go does. */
export function marshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// --- Go's scanner (encoding/json/scanner.go), for its syntax error messages ---

const MAX_DEPTH = 10000;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const ESCAPES = new Set([...'bfnrt\\/"'].map((c) => c.charCodeAt(0)));

/** Go's strconv.Quote (for %q in error texts): Go's escapes for control characters, printable text as is. */
export function goQuote(text: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\\': '\\\\', '"': '\\"' };
  const escape = (c: string): string => {
    const code = c.codePointAt(0)!;
    if (named[c]) return named[c];
    if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
    if ((code >= 0x80 && code <= 0xa0) || code === 0xad) return `\\u00${code.toString(16)}`;
    return c;
  };
  return `"${[...text].map(escape).join('')}"`;
}

/** Go's quoteChar: one byte, read as a rune, quoted in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

type Step = (c: number) => Step | undefined;

/** Go's checkValid: undefined when `data` is one JSON value, else Go's SyntaxError text. */
function checkValid(data: Buffer): string | undefined {
  const stack: ('key' | 'value' | 'array')[] = [];
  let error: string | undefined;
  let endTop = false;
  const fail = (c: number, context: string): undefined => {
    error = `invalid character ${quoteChar(c)} ${context}`;
    return undefined;
  };
  const push = (c: number, kind: 'key' | 'array', next: Step): Step | undefined => {
    stack.push(kind);
    return stack.length <= MAX_DEPTH ? next : fail(c, 'exceeded max depth');
  };
  const literal = (word: string, at: number, after: Step): Step => (c) =>
    c === word.charCodeAt(at) ? (at + 1 < word.length ? literal(word, at + 1, after) : after) : fail(c, `in literal ${word} (expecting '${word[at]}')`);

  const beginValue: Step = (c) => {
    if (isSpace(c)) return beginValue;
    switch (c) {
      case 0x7b: return push(c, 'key', beginStringOrEmpty);
      case 0x5b: return push(c, 'array', beginValueOrEmpty);
      case 0x22: return inString;
      case 0x2d: return neg;
      case 0x30: return zero;
      case 0x74: return literal('true', 1, endValue);
      case 0x66: return literal('false', 1, endValue);
      case 0x6e: return literal('null', 1, endValue);
    }
    return c >= 0x31 && c <= 0x39 ? nonZero : fail(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => (isSpace(c) ? beginValueOrEmpty : c === 0x5d ? endValue(c) : beginValue(c));
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return beginStringOrEmpty;
    if (c === 0x7d) {
      stack[stack.length - 1] = 'value';
      return endValue(c);
    }
    return beginString(c);
  };
  const beginString: Step = (c) => (isSpace(c) ? beginString : c === 0x22 ? inString : fail(c, 'looking for beginning of object key string'));
  const endTopStep: Step = (c) => (isSpace(c) ? endTopStep : fail(c, 'after top-level value'));
  const endValue: Step = (c) => {
    if (stack.length === 0) {
      endTop = true;
      return endTopStep(c);
    }
    if (isSpace(c)) return endValue;
    const top = stack.length - 1;
    if (stack[top] === 'key') {
      if (c !== 0x3a) return fail(c, 'after object key');
      stack[top] = 'value';
      return beginValue;
    }
    const closer = stack[top] === 'value' ? 0x7d : 0x5d;
    if (c === 0x2c) {
      if (stack[top] === 'value') stack[top] = 'key';
      return stack[top] === 'key' ? beginString : beginValue;
    }
    if (c === closer) {
      stack.pop();
      return stack.length === 0 ? ((endTop = true), endTopStep) : endValue;
    }
    return fail(c, stack[top] === 'value' ? 'after object key:value pair' : 'after array element');
  };
  const inString: Step = (c) => (c === 0x22 ? endValue : c === 0x5c ? inEscape : c < 0x20 ? fail(c, 'in string literal') : inString);
  const inEscape: Step = (c) => (ESCAPES.has(c) ? inString : c === 0x75 ? hex(0) : fail(c, 'in string escape code'));
  const hex = (seen: number): Step => (c) => (isHex(c) ? (seen === 3 ? inString : hex(seen + 1)) : fail(c, 'in \\u hexadecimal character escape'));
  const neg: Step = (c) => (c === 0x30 ? zero : c >= 0x31 && c <= 0x39 ? nonZero : fail(c, 'in numeric literal'));
  const nonZero: Step = (c) => (isDigit(c) ? nonZero : zero(c));
  const zero: Step = (c) => (c === 0x2e ? dot : c === 0x65 || c === 0x45 ? exponent : endValue(c));
  const dot: Step = (c) => (isDigit(c) ? fraction : fail(c, 'after decimal point in numeric literal'));
  const fraction: Step = (c) => (isDigit(c) ? fraction : c === 0x65 || c === 0x45 ? exponent : endValue(c));
  const exponent: Step = (c) => (c === 0x2b || c === 0x2d ? exponentSign : exponentSign(c));
  const exponentSign: Step = (c) => (isDigit(c) ? exponentDigits : fail(c, 'in exponent of numeric literal'));
  const exponentDigits: Step = (c) => (isDigit(c) ? exponentDigits : endValue(c));

  let step: Step | undefined = beginValue;
  for (const c of data) {
    step = step(c);
    if (!step) return error;
  }
  // Go's scanner.eof: one more space, which ends a number (or fails a half-read literal).
  if (endTop) return undefined;
  step(0x20);
  if (endTop) return undefined;
  return error ?? 'unexpected end of JSON input';
}
