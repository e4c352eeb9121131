/**
 * Builds each simulator's OpenAPI 3.1 document from its route table, so the document lists exactly
 * the routes served and the schemas the responses are checked against.
 */
import { z } from 'zod';
import type { RouteDef, VendorSimulator } from './kit.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function queryParameters(route: RouteDef): unknown[] {
  if (!route.query) return [];
  const json = schemaOf(route.query, 'output');
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: required.has(name) && !('default' in rest),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(route: RouteDef): unknown[] {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return names.map((name) => {
    const doc = route.pathParams?.[name];
    return {
      name,
      in: 'path',
      required: true,
      description: doc?.description ?? name,
      schema: { type: doc?.type ?? 'string' },
    };
  });
}

/** The OpenAPI 3.1 document of `sim`, with `serverUrl` as its only server. */
export function buildOpenApi(sim: VendorSimulator, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of sim.routes) {
    const op: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.tags ? { tags: route.tags } : {}),
      parameters: [...pathParameters(route), ...queryParameters(route)],
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, doc]) => [
          status,
          {
            description: doc.description,
            ...(doc.schema
              ? { content: { [doc.contentType ?? 'application/json']: { schema: schemaOf(doc.schema, 'output') } } }
              : {}),
          },
        ]),
      ),
    };
    if (route.security) op.security = route.security;
    else if (route.auth === false) op.security = [];
    if (route.body) {
      const schema = schemaOf(route.body, 'input');
      const enc = route.bodyEncoding ?? 'json';
      const content: Record<string, unknown> = {};
      if (enc !== 'form') content['application/json'] = { schema };
      if (enc !== 'json') content['application/x-www-form-urlencoded'] = { schema };
      op.requestBody = { required: true, content };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${sim.title} API (FieldGraph sandbox)`,
      version: '1.0.0',
      description: sim.description,
    },
    servers: [{ url: serverUrl }],
    ...(sim.security ? { security: sim.security.default, components: { securitySchemes: sim.security.schemes } } : {}),
    paths,
  };
}
