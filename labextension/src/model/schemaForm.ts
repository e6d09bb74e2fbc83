/**
 * Field descriptors for the property editor, derived from the WorkflowSpec JSON Schema
 * served by GET /api/schema (pydantic's output: `$defs`, `anyOf [X, null]`, `const`).
 */
import { JSONSchema } from '../types';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'json';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  title: string;
  description?: string;
  required: boolean;
  nullable: boolean;
  options?: string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  defaultValue?: unknown;
}

/** Follow a local `$ref` (`#/$defs/Name`). */
export function resolveRef(root: JSONSchema, node: JSONSchema): JSONSchema {
  let current = node;
  for (let i = 0; i < 16 && current.$ref; i++) {
    const name = current.$ref.split('/').pop() ?? '';
    current = root.$defs?.[name] ?? {};
  }
  return current;
}

/** The schema of a task kind (`classical` | `quantum`) inside the workflow schema. */
export function taskSchema(root: JSONSchema, kind: string): JSONSchema | undefined {
  const defs = root.$defs ?? {};
  for (const def of Object.values(defs)) {
    const k = def.properties?.kind;
    if (k && (k.const === kind || (k.enum?.length === 1 && k.enum[0] === kind))) {
      return def;
    }
  }
  return undefined;
}

function describe(
  root: JSONSchema,
  name: string,
  raw: JSONSchema,
  required: boolean
): FieldSpec {
  let node = resolveRef(root, raw);
  let nullable = false;
  const variants = node.anyOf ?? node.oneOf;
  if (variants) {
    const nonNull = variants.filter(v => v.type !== 'null');
    nullable = nonNull.length < variants.length;
    node =
      nonNull.length === 1 ? { ...resolveRef(root, nonNull[0]), ...pick(node) } : node;
  }
  const base: FieldSpec = {
    name,
    kind: 'json',
    title: raw.title ?? node.title ?? name,
    description: raw.description ?? node.description,
    required,
    nullable,
    defaultValue: raw.default ?? node.default
  };
  if (node.enum && node.enum.every(v => typeof v === 'string')) {
    return { ...base, kind: 'enum', options: node.enum as string[] };
  }
  const type = Array.isArray(node.type) ? node.type.find(t => t !== 'null') : node.type;
  switch (type) {
    case 'string':
      return { ...base, kind: 'string', pattern: node.pattern };
    case 'integer':
    case 'number':
      return {
        ...base,
        kind: type,
        minimum: node.minimum ?? node.exclusiveMinimum,
        maximum: node.maximum
      };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    default:
      return base;
  }
}

function pick(node: JSONSchema): JSONSchema {
  const out: JSONSchema = {};
  if (node.title) {
    out.title = node.title;
  }
  if (node.description) {
    out.description = node.description;
  }
  return out;
}

/** Editable fields of one task kind, `id` first, `kind` left out (it is fixed). */
export function taskFields(root: JSONSchema, kind: string): FieldSpec[] {
  const schema = taskSchema(root, kind);
  if (!schema?.properties) {
    return [];
  }
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties)
    .filter(([name]) => name !== 'kind')
    .map(([name, prop]) => describe(root, name, prop, required.has(name)));
  return fields.sort((a, b) => (a.name === 'id' ? -1 : b.name === 'id' ? 1 : 0));
}

/** Parse what the user typed into a field; throws with a readable message. */
export function parseFieldValue(field: FieldSpec, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' && !field.required) {
    return undefined;
  }
  switch (field.kind) {
    case 'integer': {
      const n = Number(trimmed);
      if (!Number.isInteger(n)) {
        throw new Error(`${field.name}: expected an integer`);
      }
      return n;
    }
    case 'number': {
      const n = Number(trimmed);
      if (trimmed === '' || Number.isNaN(n)) {
        throw new Error(`${field.name}: expected a number`);
      }
      return n;
    }
    case 'json':
      try {
        return JSON.parse(trimmed);
      } catch {
        throw new Error(`${field.name}: not valid JSON`);
      }
    default:
      return text;
  }
}

/** Text shown in an input for a stored value. */
export function formatFieldValue(field: FieldSpec, value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (field.kind === 'json') {
    return JSON.stringify(value, null, 1);
  }
  return String(value);
}
