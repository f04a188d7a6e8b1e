/**
 * The grammar of the simulated shell: a small subset of POSIX sh (lists with
 * `;` `&&` `||` `&`, pipelines, quoting, `$VAR` expansion, a few redirections,
 * `if` and `while`/`until`). Words keep their quoting so that expansion can
 * happen when the command runs, after `$?` is known.
 */
export interface WordPart {
  quote: 'none' | 'single' | 'double';
  text: string;
}
export type Word = WordPart[];

export interface Redirect {
  fd: number;
  /** `>&` duplicates a descriptor (`2>&1`). */
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export interface SimpleCommand {
  kind: 'simple';
  assignments: [name: string, value: Word][];
  words: Word[];
  redirects: Redirect[];
}
export interface IfCommand {
  kind: 'if';
  branches: { condition: Script; body: Script }[];
  otherwise?: Script;
}
export interface LoopCommand {
  kind: 'while' | 'until';
  condition: Script;
  body: Script;
}
export type Command = SimpleCommand | IfCommand | LoopCommand;
export type Pipeline = Command[];
export interface AndOr {
  first: Pipeline;
  rest: ['&&' | '||', Pipeline][];
}
export type Script = AndOr[];

export class ShellSyntaxError extends Error {}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', '>>', '>&', ';', '&', '|', '>', '<', '\n'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let word: Word | undefined;
  const append = (quote: WordPart['quote'], text: string): void => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && last.quote === quote) last.text += text;
    else word.push({ quote, text });
  };
  const endWord = (): void => {
    if (word) tokens.push({ kind: 'word', word });
    word = undefined;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '#' && !word) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === "'") {
      const end = source.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      append('single', source.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      let text = '';
      for (i++; source[i] !== '"'; i++) {
        if (i >= source.length) throw new ShellSyntaxError('unterminated quoted string');
        // Inside double quotes a backslash only escapes $ ` " \ and newline.
        if (source[i] === '\\' && '$`"\\\n'.includes(source[i + 1] ?? '')) {
          if (text) append('double', text);
          text = '';
          append('single', source[++i]!);
        } else {
          text += source[i];
        }
      }
      // Appended even when empty, so that "" is a word of its own.
      append('double', text);
      i++;
    } else if (c === '\\') {
      if (source[i + 1] !== '\n') append('single', source[i + 1] ?? '');
      i += 2;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) {
        append('none', c);
        i++;
        continue;
      }
      // `2>` and `2>&1`: a lone digit just before a redirection names the descriptor.
      const fdWord = (op[0] === '>' || op === '<') && word?.length === 1 && word[0]!.quote === 'none' && /^\d$/.test(word[0]!.text) ? word : undefined;
      if (fdWord) word = undefined;
      else endWord();
      tokens.push({ kind: 'op', op: fdWord ? `${fdWord[0]!.text}${op}` : op });
      i += op.length;
    }
  }
  endWord();
  return tokens;
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done']);

export function literalOf(word: Word): string | undefined {
  return word.length === 1 && word[0]!.quote === 'none' ? word[0]!.text : undefined;
}

export function parseScript(source: string): Script {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (op: string): boolean => peek()?.kind === 'op' && (peek() as { op: string }).op === op;
  const keywordAt = (): string | undefined => {
    const token = peek();
    const text = token?.kind === 'word' ? literalOf(token.word) : undefined;
    return text && RESERVED.has(text) ? text : undefined;
  };
  const unexpected = (): ShellSyntaxError => {
    const token = peek();
    const text = !token ? 'end of file' : token.kind === 'op' ? (token.op === '\n' ? 'newline' : token.op) : literalOf(token.word);
    return new ShellSyntaxError(`unexpected ${text === 'end of file' ? text : `"${text}"`}`);
  };
  const expectKeyword = (keyword: string): void => {
    if (keywordAt() !== keyword) throw unexpected();
    pos++;
  };
  const skipSeparators = (): void => {
    while (isOp(';') || isOp('\n') || isOp('&')) pos++;
  };

  /** A list up to one of `terminators` (keywords) or the end. */
  function list(terminators: string[]): Script {
    const script: Script = [];
    skipSeparators();
    while (peek() && !terminators.includes(keywordAt() ?? '')) {
      const first = pipeline();
      const rest: AndOr['rest'] = [];
      while (isOp('&&') || isOp('||')) {
        const op = (tokens[pos++] as { op: '&&' | '||' }).op;
        while (isOp('\n')) pos++;
        rest.push([op, pipeline()]);
      }
      script.push({ first, rest });
      if (peek() && !isOp(';') && !isOp('\n') && !isOp('&')) throw unexpected();
      skipSeparators();
    }
    return script;
  }

  function pipeline(): Pipeline {
    const commands = [command()];
    while (isOp('|')) {
      pos++;
      commands.push(command());
    }
    return commands;
  }

  function command(): Command {
    const keyword = keywordAt();
    if (keyword === 'if') {
      pos++;
      const branches: IfCommand['branches'] = [];
      let otherwise: Script | undefined;
      for (;;) {
        const condition = list(['then']);
        expectKeyword('then');
        branches.push({ condition, body: list(['elif', 'else', 'fi']) });
        if (keywordAt() === 'elif') pos++;
        else break;
      }
      if (keywordAt() === 'else') {
        pos++;
        otherwise = list(['fi']);
      }
      expectKeyword('fi');
      return { kind: 'if', branches, ...(otherwise ? { otherwise } : {}) };
    }
    if (keyword === 'while' || keyword === 'until') {
      pos++;
      const condition = list(['do']);
      expectKeyword('do');
      const body = list(['done']);
      expectKeyword('done');
      return { kind: keyword, condition, body };
    }
    if (keyword) throw unexpected();
    return simpleCommand();
  }

  function simpleCommand(): SimpleCommand {
    const result: SimpleCommand = { kind: 'simple', assignments: [], words: [], redirects: [] };
    for (let token = peek(); token; token = peek()) {
      if (token.kind === 'op') {
        const redirect = /^(\d?)(>>|>&|>|<)$/.exec(token.op);
        if (!redirect) break;
        pos++;
        const target = peek();
        if (target?.kind !== 'word') throw unexpected();
        pos++;
        const op = redirect[2] as Redirect['op'];
        result.redirects.push({ fd: redirect[1] ? Number(redirect[1]) : op === '<' ? 0 : 1, op, target: target.word });
        continue;
      }
      const assignment = result.words.length === 0 && token.word[0]?.quote === 'none' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.word[0].text) : null;
      if (assignment) {
        const [head, ...tail] = token.word;
        const value = [{ ...head!, text: head!.text.slice(assignment[0].length) }, ...tail].filter((part) => part.text !== '' || part.quote !== 'none');
        result.assignments.push([assignment[1]!, value]);
      } else {
        result.words.push(token.word);
      }
      pos++;
    }
    if (result.words.length === 0 && result.assignments.length === 0 && result.redirects.length === 0) throw unexpected();
    return result;
  }

  const script = list([]);
  if (peek()) throw unexpected();
  return script;
}
