/**
 * The published result schema (schemas/result-1.schema.json) for tests, compiled by Ajv in strict mode with
 * `date-time` checked. The schema lets readers meet fields added within `@1` (docs/result-format.md#versioning);
 * our own documents must hold no field it does not describe, so the tests' copy refuses unknown fields.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";

const SCHEMA_URL = new URL("../../schemas/result-1.schema.json", import.meta.url);

// deno-lint-ignore no-explicit-any
type Json = any;

/** The schema as published. */
export function publishedSchema(): Json {
  return JSON.parse(Deno.readTextFileSync(SCHEMA_URL));
}

/** Keywords whose subschemas describe part of an object (conditions, alternatives): never closed. */
const PARTIAL = new Set(["allOf", "anyOf", "oneOf", "not", "if", "then", "else"]);

/**
 * `schema` with every object that lists its properties closed to others, recursively (a copy), except within
 * conditions and alternatives, which list only the properties they constrain.
 */
export function closedSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(closedSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const closed: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PARTIAL.has(key)) closed[key] = value;
    // `properties` and `$defs` map names to schemas: close each schema, not the map.
    else if (key === "properties" || key === "$defs") {
      closed[key] = Object.fromEntries(
        Object.entries(value as Json).map(([name, sub]) => [name, closedSchema(sub)]),
      );
    } else closed[key] = closedSchema(value);
  }
  if ("properties" in schema && !("additionalProperties" in schema)) closed.additionalProperties = false;
  return closed;
}

/** A validator of `schema` (default: the published one, closed) and its last errors as text. */
export function resultValidator(schema: Json = closedSchema(publishedSchema())): {
  validate: ValidateFunction;
  errors: () => string;
} {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);
  return { validate, errors: () => ajv.errorsText(validate.errors, { separator: "\n" }) };
}
