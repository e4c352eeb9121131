/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id number status source { system id } sla { completeBy } }\n    }\n  }\n": typeof types.CreateWorkOrderDocument,
    "\n  mutation Dispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id status }\n      appointment { id status window { start end } technicians { id name } }\n    }\n  }\n": typeof types.DispatchDocument,
    "\n  mutation SubmitClaim($input: SubmitClaimInput!) {\n    submitClaim(input: $input) {\n      replayed\n      userErrors { code field message }\n      claim { id number status total { amount currency } }\n      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }\n    }\n  }\n": typeof types.SubmitClaimDocument,
    "\n  query WorkOrderAfter($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        id\n        status\n        claims { nodes { id status total { amount } } }\n      }\n    }\n  }\n": typeof types.WorkOrderAfterDocument,
};
const documents: Documents = {
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id number status source { system id } sla { completeBy } }\n    }\n  }\n": types.CreateWorkOrderDocument,
    "\n  mutation Dispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id status }\n      appointment { id status window { start end } technicians { id name } }\n    }\n  }\n": types.DispatchDocument,
    "\n  mutation SubmitClaim($input: SubmitClaimInput!) {\n    submitClaim(input: $input) {\n      replayed\n      userErrors { code field message }\n      claim { id number status total { amount currency } }\n      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }\n    }\n  }\n": types.SubmitClaimDocument,
    "\n  query WorkOrderAfter($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        id\n        status\n        claims { nodes { id status total { amount } } }\n      }\n    }\n  }\n": types.WorkOrderAfterDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id number status source { system id } sla { completeBy } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id number status source { system id } sla { completeBy } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Dispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id status }\n      appointment { id status window { start end } technicians { id name } }\n    }\n  }\n"): (typeof documents)["\n  mutation Dispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      replayed\n      userErrors { code field message }\n      workOrder { id status }\n      appointment { id status window { start end } technicians { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitClaim($input: SubmitClaimInput!) {\n    submitClaim(input: $input) {\n      replayed\n      userErrors { code field message }\n      claim { id number status total { amount currency } }\n      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitClaim($input: SubmitClaimInput!) {\n    submitClaim(input: $input) {\n      replayed\n      userErrors { code field message }\n      claim { id number status total { amount currency } }\n      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkOrderAfter($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        id\n        status\n        claims { nodes { id status total { amount } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkOrderAfter($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        id\n        status\n        claims { nodes { id status total { amount } } }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;