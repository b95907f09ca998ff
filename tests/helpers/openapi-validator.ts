/**
 * Checks a JSON response against the served OpenAPI document (Ajv, JSON Schema 2020-12).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface OpenApiDocument {
  components: object;
  paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }>;
}

/**
 * Checks a response against the schema the served OpenAPI document gives for that path and
 * status (following the document, so a path that points at the wrong schema is caught too).
 */
export function responseValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: document.components });
  return (path: string, status: number, data: unknown) => {
    const schema = document.paths[path]?.get.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return [`the document describes no JSON for ${path} ${status}`];
    const validate = ajv.compile(schema.$ref ? { $ref: `openapi${schema.$ref}` } : schema);
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
