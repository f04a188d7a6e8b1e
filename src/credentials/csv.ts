import { SimError } from '../sim-error.js';

/**
 * One record of a CSV file, read with the rules of Go's encoding/csv as
 * kube-apiserver configures it: any number of fields, `""` inside a quoted field
 * is a quote, a bare quote in an unquoted field is an error, leading spaces are
 * kept, blank lines are skipped, there are no comments.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw === '') continue;
    records.push({ line: i + 1, fields: parseLine(raw, file, i + 1) });
  }
  return records;
}

function parseLine(line: string, file: string, lineNo: number): string[] {
  const fail = (column: number, what: string): never => {
    throw new SimError('ECSV', `${file}:${lineNo}: parse error at column ${column}: ${what}`);
  };
  const fields: string[] = [];
  let pos = 0;
  for (;;) {
    if (line[pos] === '"') {
      let value = '';
      pos++;
      for (;;) {
        const quote = line.indexOf('"', pos);
        if (quote < 0) fail(line.length + 1, 'extraneous or missing " in quoted-field');
        value += line.slice(pos, quote);
        pos = quote + 1;
        if (line[pos] === '"') {
          value += '"';
          pos++;
          continue;
        }
        if (pos < line.length && line[pos] !== ',') fail(pos + 1, 'extraneous or missing " in quoted-field');
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', pos);
      const value = comma < 0 ? line.slice(pos) : line.slice(pos, comma);
      const bare = value.indexOf('"');
      if (bare >= 0) fail(pos + bare + 1, 'bare " in non-quoted-field');
      fields.push(value);
      pos = comma < 0 ? line.length : comma;
    }
    if (pos >= line.length) return fields;
    pos++; // the comma
  }
}

/** Quotes a field when it needs it, as Go's csv.Writer does. */
export function formatCsvField(field: string): string {
  return /[",\r\n]/.test(field) || field.startsWith(' ') ? `"${field.replace(/"/g, '""')}"` : field;
}
