// Validates an OpenAPI document against the OpenAPI 3 schema and resolves every $ref.
// Usage: node validate.mjs FILE
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  const operations = Object.values(api.paths).flatMap((item) => Object.keys(item));
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${operations.length} operations`);
} catch (error) {
  console.error(`${file}: ${error.message}`);
  process.exit(1);
}
