/**
 * The schema as a contract: it builds with the strict resolver checks, every element explains
 * itself, all nine entities are Nodes with provenance, no vendor vocabulary leaks into it, and the
 * committed snapshot matches the SDL.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../src/ids.js';
import { createSchema, loadTypeDefs } from '../../src/schema.js';

const schema = createSchema();
const ownTypes = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name));

describe('schema', () => {
  it('gives a description to every type, field, argument and enum value', () => {
    const missing: string[] = [];
    const need = (what: string, description: string | null | undefined): void => {
      if (!description || description.trim().length < 3) missing.push(what);
    };
    for (const type of ownTypes as GraphQLNamedType[]) {
      need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of 'args' in field ? field.args : []) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) need(`${type.name}.${v.name}`, v.description);
    }
    expect(missing).toEqual([]);
  });

  it('makes all nine entities Nodes with a non-null id and source', () => {
    for (const name of Object.keys(NODE_TYPES)) {
      const type = schema.getType(name);
      expect(isObjectType(type), name).toBe(true);
      if (!isObjectType(type)) continue;
      expect(type.getInterfaces().map((i) => i.name)).toContain('Node');
      expect(String(type.getFields().id?.type)).toBe('ID!');
      expect(String(type.getFields().source?.type)).toBe('ExternalReference!');
    }
  });

  it('links with objects and connections, never ids', () => {
    for (const type of ownTypes) {
      if (!isObjectType(type)) continue;
      for (const field of Object.keys(type.getFields())) expect(field, `${type.name}.${field}`).not.toMatch(/.Ids?$|Ref$/);
    }
    const wo = schema.getType('WorkOrder');
    if (!isObjectType(wo)) throw new Error('no WorkOrder');
    expect(String(wo.getFields().appointments?.type)).toBe('AppointmentConnection');
    expect(String(wo.getFields().customer?.type)).toBe('Customer');
  });

  it('holds no vendor vocabulary outside the SourceSystem enum', () => {
    const sdl = loadTypeDefs().join('\n').replace(/enum SourceSystem \{[\s\S]*?\n\}/, '');
    expect(sdl).not.toMatch(/servicetitan|service ?titan|field ?nation|servicepower|sera\b|astea|alliance/i);
  });

  it('has the custom scalars', () => {
    for (const name of ['DateTime', 'Date', 'Decimal', 'EmailAddress', 'PhoneNumber']) expect(isScalarType(schema.getType(name)), name).toBe(true);
  });

  it('matches the committed snapshot (src/__generated__/schema.graphql)', () => {
    const committed = buildSchema(readFileSync('src/__generated__/schema.graphql', 'utf8'));
    expect(printSchema(lexicographicSortSchema(committed))).toBe(printSchema(lexicographicSortSchema(schema)));
  });
});
