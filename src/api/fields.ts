/**
 * Field selectors (`?fieldSelector=`): `k=v`, `k==v`, `k!=v`, comma = AND.
 * Which keys a resource supports is the registry's business; an unsupported
 * key is a 400 with upstream's message.
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part.trim());
    if (!m) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: m[1]!.trim(), operator: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() };
  });
}

export function matchesFields(requirements: FieldRequirement[], valueOf: (field: string) => string | undefined): boolean {
  return requirements.every((r) => {
    const value = valueOf(r.field) ?? '';
    return r.operator === '=' ? value === r.value : value !== r.value;
  });
}
