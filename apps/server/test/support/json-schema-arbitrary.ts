import fc from "fast-check";

/** The JSON Schema (2020-12) keywords the server's OpenAPI document uses in requests. */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  maxProperties?: number;
}

/** Few entries and short texts: positive data, not a load test. */
const MAX_ENTRIES = 4;
const MAX_TEXT = 24;

/** Whether `value` passes the string keywords of `schema` (what `not` and the lengths refuse). */
function matchesString(schema: JsonSchema, value: string): boolean {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) return false;
  if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return false;
  if (schema.const !== undefined && value !== schema.const) return false;
  return true;
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  let text: fc.Arbitrary<string>;
  if (schema.format === "uuid") text = fc.uuid({ version: 4 });
  else if (schema.format === "date-time") text = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((date) => date.toISOString());
  else if (schema.pattern !== undefined) text = fc.stringMatching(new RegExp(schema.pattern, "u"), { size: "xsmall" });
  else text = fc.string({ unit: "grapheme", minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? MAX_TEXT, MAX_TEXT) });
  return text.filter((value) => matchesString(schema, value) && !(schema.not && matchesString(schema.not, value)));
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === "object") {
    const keys = schemaArbitrary({ type: "string", ...schema.propertyNames });
    return fc.dictionary(keys as fc.Arbitrary<string>, schemaArbitrary(schema.additionalProperties), {
      maxKeys: Math.min(schema.maxProperties ?? MAX_ENTRIES, MAX_ENTRIES),
      noNullPrototype: true,
    });
  }
  // `oneOf: [{required: [a]}, {required: [b]}]` next to the properties: exactly one of them.
  const exclusive = schema.oneOf?.map((alternative) => alternative.required ?? []);
  const choices = exclusive ?? [[]];
  return fc.constantFrom(...choices).chain((chosen) => {
    const excluded = new Set((exclusive ?? []).flat().filter((name) => !chosen.includes(name)));
    const required = new Set([...(schema.required ?? []), ...chosen]);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) if (!excluded.has(name)) record[name] = schemaArbitrary(property);
    return fc.record(record, { requiredKeys: [...required].filter((name) => name in record) });
  });
}

/**
 * Values valid against `schema`, as Schemathesis would draw them for a request: every keyword
 * the document uses is honoured, so a value the server refuses shows the document is looser
 * than the server.
 */
export function schemaArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(schemaArbitrary));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => schemaArbitrary({ ...schema, type })));
  switch (schema.type) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000), max: Math.min(schema.maximum ?? 1000, 1000) });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ENTRIES, MAX_ENTRIES)) };
      const items = schemaArbitrary(schema.items ?? {});
      return schema.uniqueItems ? fc.uniqueArray(items, constraints) : fc.array(items, constraints);
    }
    case "object":
      return objectArbitrary(schema);
    default:
      throw new Error(`The document has a request schema this generator does not know: ${JSON.stringify(schema)}`);
  }
}
