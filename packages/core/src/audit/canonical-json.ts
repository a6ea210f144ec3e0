/**
 * The canonical JSON of a value, the form an audit event is hashed in: object keys sorted by
 * code unit (RFC 8785's order for the ASCII keys zs uses), no whitespace, `undefined` members
 * left out, strings and finite numbers as `JSON.stringify` writes them. Two processes that
 * hold the same event always produce the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: numbers must be finite");
      return JSON.stringify(value);
    case "object": {
      // Loops building one string: every audited request hashes its event, and the
      // filter/map/join form cost almost twice as much.
      if (Array.isArray(value)) {
        let out = "[";
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          out += `${index > 0 ? "," : ""}${item === undefined ? "null" : canonicalJson(item)}`;
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      let out = "{";
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
