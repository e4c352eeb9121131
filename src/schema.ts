/**
 * The executable schema: the SDL of `schema/*.graphql` with the resolvers of `resolvers/`, checked
 * so that a resolver without a schema field, or an interface without `__resolveType`, fails at
 * start-up rather than at query time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';

/** Where the SDL files are. */
export const SCHEMA_DIR = fileURLToPath(new URL('../schema/', import.meta.url));

/** The SDL files' contents, in file-name order. */
export function loadTypeDefs(dir: string = SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(`${dir}${f}`, 'utf8'));
}

/** Builds the executable schema. Throws when resolvers and SDL disagree. */
export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error', requireResolversForResolveType: 'error' },
  });
}
