/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A postal address to write. */
export type AddressInput = {
  /** City or town. */
  city: string;
  /** ISO 3166-1 alpha-2 country code (default `US`). */
  country?: string;
  /** Street and number. */
  line1: string;
  /** Apartment, suite or unit; absent when there is none. */
  line2?: string | null | undefined;
  /** Postal code, e.g. `30303` or `30303-1234`. */
  postalCode: string;
  /** State or province code, e.g. `GA`. */
  region: string;
};

/** Where a visit stands. */
export type AppointmentStatus =
  /** Called off. */
  | 'CANCELLED'
  /** The visit is over. */
  | 'COMPLETED'
  /** A technician has been sent. */
  | 'DISPATCHED'
  /** The technician is on site or working. */
  | 'IN_PROGRESS'
  /** Paused. */
  | 'ON_HOLD'
  /** Planned, no technician sent yet. */
  | 'SCHEDULED'
  /** The system uses a status word FieldGraph does not know; see `sourceStatus`. */
  | 'UNKNOWN';

/** A file attached to a claim. */
export type ClaimAttachmentInput = {
  /** The file's name, e.g. `nameplate.jpg`. */
  fileName: string;
  /** The token the upload returned. */
  uploadToken: string;
};

/** Labor on a claim. */
export type ClaimLaborInput = {
  /** The rate per hour, an exact decimal of at least zero. */
  hourlyRate: string;
  /** Minutes worked, a whole number of at least zero. */
  minutes: number;
};

/** A part on a claim. */
export type ClaimPartInput = {
  /** The part number. */
  partNumber: string;
  /** How many, greater than zero. */
  quantity: string;
  /** What one unit cost, an exact decimal of at least zero. */
  unitCost: string;
};

/** How the problem behind a claim was resolved. */
export type ClaimResolutionInput = {
  /** The resolution as a code, e.g. `REPLACED_PART`. */
  code: string;
  /** The resolution in words. */
  description?: string | null | undefined;
};

/** Where a claim stands. */
export type ClaimStatus =
  /** Accepted, not yet paid. */
  | 'APPROVED'
  /** Paid out. */
  | 'PAID'
  /** Refused. */
  | 'REJECTED'
  /** Sent, not yet looked at. */
  | 'SUBMITTED'
  /** Being reviewed. */
  | 'UNDER_REVIEW'
  /** The system uses a status word FieldGraph does not know; see `sourceStatus`. */
  | 'UNKNOWN';

/** Travel on a claim. */
export type ClaimTravelInput = {
  /** Miles driven, an exact decimal of at least zero. */
  miles: string;
  /** Minutes on the road, a whole number of at least zero (recorded; travel is paid by the mile). */
  minutes: number;
};

/** A work order to create. */
export type CreateWorkOrderInput = {
  /** Who the work is for: an existing customer or a new one. */
  customer: WorkOrderCustomerInput;
  /** The unit the work is about: an existing one or its details; absent when there is none. */
  equipment?: WorkOrderEquipmentInput | null | undefined;
  /**
   * Your own reference for the job (e.g. the number of the job in another system), stamped on the
   * record; absent: FieldGraph stamps one derived from the idempotency key.
   */
  externalReference?: string | null | undefined;
  /**
   * A key unique to this request (e.g. a UUID), 1 to 255 printable characters: sending the same key
   * with the same input again returns the first result and creates nothing more. Overrides the
   * `Idempotency-Key` HTTP header; giving both with different values is an error.
   */
  idempotencyKey?: string | null | undefined;
  /**
   * Where the work is done: an existing location or an address; absent: the customer's (first) location
   * or address.
   */
  location?: WorkOrderLocationInput | null | undefined;
  /** Notes for the technician. */
  notes?: string | null | undefined;
  /** Parts planned for the job. */
  parts?: Array<PartLineInput> | null | undefined;
  /** How urgent the job is (default NORMAL). */
  priority?: WorkOrderPriority | null | undefined;
  /** The reported problem as a code, e.g. `NO_HEAT`. */
  problemCode?: string | null | undefined;
  /** When the customer wants the visit. */
  requestedWindow?: TimeWindowInput | null | undefined;
  /** The kind of service, e.g. `repair`, `maintenance`, `installation`, `inspection`. */
  serviceType: string;
  /** The service-level deadlines. */
  sla?: ServiceLevelInput | null | undefined;
  /** The problem in a sentence, as the technician will read it. */
  summary: string;
  /** The system to create the work order in; absent: chosen by the routing rules. */
  targetSystem?: SourceSystem | null | undefined;
  /**
   * Technicians to send right away (ids of technicians of the target system); needs
   * `requestedWindow`.
   */
  technicians?: Array<string | number> | null | undefined;
};

/** A dispatch to make. */
export type DispatchInput = {
  /**
   * A key unique to this request, 1 to 255 printable characters: the same key with the same input
   * returns the first result and dispatches nothing more. Overrides the `Idempotency-Key` HTTP
   * header; giving both with different values is an error.
   */
  idempotencyKey?: string | null | undefined;
  /** Instructions for the technician. */
  instructions?: string | null | undefined;
  /** The day of the technician's route, as `YYYY-MM-DD`, where the system plans routes. */
  routeDate?: string | null | undefined;
  /**
   * The technicians to send (technician ids of the work order's system; several only where the system
   * books several on one visit).
   */
  technicians?: Array<string | number> | null | undefined;
  /** The appointment window. */
  window: TimeWindowInput;
  /** The work order (a work order id). */
  workOrder: string | number;
};

/** A customer to create. */
export type NewCustomerInput = {
  /** The customer's address (also the service location when no other is given). */
  address: AddressInput;
  /** Email address. */
  email?: string | null | undefined;
  /** The customer's full name or company name. */
  name: string;
  /** Phone number in E.164 form. */
  phone?: string | null | undefined;
};

/** A unit described by the caller. */
export type NewEquipmentInput = {
  /** The manufacturer, e.g. `Carrier`. */
  manufacturer?: string | null | undefined;
  /** The model, e.g. `59SC5`. */
  model: string;
  /** The serial number. */
  serialNumber?: string | null | undefined;
  /** The kind of unit, e.g. `Furnace` (decides the skill a technician needs). */
  type?: string | null | undefined;
  /** Its manufacturer warranty. */
  warranty?: WarrantyInput | null | undefined;
};

/** A part planned for a work order. */
export type PartLineInput = {
  /** What the part is. */
  description?: string | null | undefined;
  /** The part number, e.g. `IGN-HSI-400`. */
  partNumber: string;
  /** How many, as an exact decimal greater than zero. */
  quantity: string;
  /** Price of one unit, an exact decimal of at least zero. */
  unitPrice?: string | null | undefined;
};

/** Service-level deadlines to set; instants as RFC 3339 strings with a zone. */
export type ServiceLevelInput = {
  /** The time by which the work must be done; a requested window must end by then. */
  completeBy?: string | null | undefined;
  /** The time by which someone must respond. */
  respondBy?: string | null | undefined;
};

/** The vendor systems FieldGraph reads from and writes to. */
export type SourceSystem =
  /** Astea Alliance: contracts, assets, dispatch, parts and labor. */
  | 'ASTEA'
  /** Field Nation: work orders sent to third-party technicians. */
  | 'FIELDNATION'
  /** Sera: home-service jobs, customers, invoices and memberships. */
  | 'SERA'
  /** ServicePower: manufacturers' warranty work orders, dispatch and warranty claims. */
  | 'SERVICEPOWER'
  /** ServiceTitan: home-service jobs, customers, invoices and memberships. */
  | 'SERVICETITAN';

/** A warranty claim to submit. */
export type SubmitClaimInput = {
  /** Files uploaded beforehand, by their upload tokens. */
  attachments?: Array<ClaimAttachmentInput> | null | undefined;
  /** The kind of claim, e.g. `warranty`. */
  claimType: string;
  /**
   * A key unique to this request, 1 to 255 printable characters: the same key with the same input
   * returns the first result and submits nothing more. Overrides the `Idempotency-Key` HTTP header;
   * giving both with different values is an error.
   */
  idempotencyKey?: string | null | undefined;
  /** The labor claimed. */
  labor: ClaimLaborInput;
  /** The parts claimed. */
  parts?: Array<ClaimPartInput> | null | undefined;
  /**
   * Your reference number for the claim, claimed once per work order; absent: derived from the
   * idempotency key.
   */
  referenceNumber?: string | null | undefined;
  /** How the problem was resolved. */
  resolution: ClaimResolutionInput;
  /** The taxes claimed, an exact decimal of at least zero (default 0). */
  taxes?: string | null | undefined;
  /** The travel claimed. */
  travel?: ClaimTravelInput | null | undefined;
  /** The completed work order the claim is for (a work order id). */
  workOrder: string | number;
};

/**
 * A span of time to book. Instants are RFC 3339 strings with a zone, e.g. `2026-03-02T13:00:00Z` or
 * `2026-03-02T08:00:00-05:00`; they are checked by the mutation, so a malformed one comes back as a
 * `UserError` (INVALID) at its field together with every other problem of the input.
 */
export type TimeWindowInput = {
  /** When it ends: an RFC 3339 instant with a zone, after `start`. */
  end: string;
  /** When it starts: an RFC 3339 instant with a zone. */
  start: string;
};

/** Stable codes of `UserError`. */
export type UserErrorCode =
  /** The technician is not free: another visit overlaps the window, or the day is fully booked. */
  | 'CAPACITY_CONFLICT'
  /** The request conflicts with the current state of the object. */
  | 'CONFLICT'
  /**
   * Another request with this idempotency key is still being carried out: retry later with the same
   * key to get its result.
   */
  | 'IDEMPOTENCY_KEY_IN_USE'
  /** The idempotency key was already used with a different input: use a new key for a new request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** A value has the wrong form or is out of range. */
  | 'INVALID'
  /**
   * The object is not in a state that allows this operation, e.g. a claim on a work order that is not
   * completed.
   */
  | 'INVALID_STATE'
  /** The operation is not allowed for this object or caller. */
  | 'NOT_ALLOWED'
  /** A referenced object does not exist. */
  | 'NOT_FOUND'
  /** The system that holds the object (or the target system) cannot carry out this operation. */
  | 'NOT_SUPPORTED'
  /** The window ends after the work order's service-level deadline. */
  | 'OUTSIDE_SLA'
  /** The technician does not serve the region of the service location. */
  | 'OUT_OF_REGION'
  /**
   * A write of several steps stopped part-way and could not be fully undone; the message says exactly
   * what was done. Retrying with the same idempotency key resumes it.
   */
  | 'PARTIAL_WRITE'
  /** A required value is missing. */
  | 'REQUIRED'
  /** The technician lacks the skill the work needs. */
  | 'SKILL_MISMATCH'
  /** The requested time slot is not available. */
  | 'SLOT_UNAVAILABLE';

/** A manufacturer warranty. */
export type WarrantyInput = {
  /** Whether the warranty covers the unit now. */
  covered: boolean;
  /** The last day of coverage as `YYYY-MM-DD`. */
  expiresOn?: string | null | undefined;
  /** The manufacturer program, e.g. `Carrier Factory Warranty`. */
  program?: string | null | undefined;
};

/** The customer of a new work order: exactly one of `id` and `new`. */
export type WorkOrderCustomerInput = {
  /** An existing customer (a customer id). */
  id?: string | number | null | undefined;
  /** A customer to create with the work order. */
  new?: NewCustomerInput | null | undefined;
};

/** The unit of a new work order: exactly one of `id` and `new`. */
export type WorkOrderEquipmentInput = {
  /** An existing unit (an equipment id). */
  id?: string | number | null | undefined;
  /** A unit not on file yet. */
  new?: NewEquipmentInput | null | undefined;
};

/** The service location of a new work order: exactly one of `id` and `address`. */
export type WorkOrderLocationInput = {
  /** The address where the work is done. */
  address?: AddressInput | null | undefined;
  /** An existing location (a location id). */
  id?: string | number | null | undefined;
};

/** How urgent a work order is. */
export type WorkOrderPriority =
  /** Should be done soon. */
  | 'HIGH'
  /** Can wait. */
  | 'LOW'
  /** The usual urgency. */
  | 'NORMAL'
  /** An emergency. */
  | 'URGENT';

/** Where a work order stands. */
export type WorkOrderStatus =
  /** Called off. */
  | 'CANCELLED'
  /** The work is done. */
  | 'COMPLETED'
  /** A technician has been sent or has accepted the job. */
  | 'DISPATCHED'
  /** A technician is working on it. */
  | 'IN_PROGRESS'
  /** Taken in, not yet scheduled. */
  | 'NEW'
  /** Paused, e.g. waiting for parts or for the customer. */
  | 'ON_HOLD'
  /** A visit is planned. */
  | 'SCHEDULED'
  /** The system uses a status word FieldGraph does not know; see `sourceStatus`. */
  | 'UNKNOWN';

export type CreateWorkOrderMutationVariables = Exact<{
  input: CreateWorkOrderInput;
}>;


export type CreateWorkOrderMutation = { createWorkOrder: { replayed: boolean, userErrors: Array<{ code: UserErrorCode, field: Array<string> | null, message: string }>, workOrder: { id: string, number: string, status: WorkOrderStatus, source: { system: SourceSystem, id: string }, sla: { completeBy: string | null } | null } | null } | null };

export type DispatchMutationVariables = Exact<{
  input: DispatchInput;
}>;


export type DispatchMutation = { dispatch: { replayed: boolean, userErrors: Array<{ code: UserErrorCode, field: Array<string> | null, message: string }>, workOrder: { id: string, status: WorkOrderStatus } | null, appointment: { id: string, status: AppointmentStatus, window: { start: string, end: string }, technicians: Array<{ id: string, name: string } | null> } | null } | null };

export type SubmitClaimMutationVariables = Exact<{
  input: SubmitClaimInput;
}>;


export type SubmitClaimMutation = { submitClaim: { replayed: boolean, userErrors: Array<{ code: UserErrorCode, field: Array<string> | null, message: string }>, claim: { id: string, number: string | null, status: ClaimStatus, total: { amount: string, currency: string } } | null, totals: { labor: { amount: string }, parts: { amount: string }, travel: { amount: string }, taxes: { amount: string }, total: { amount: string, currency: string } } | null } | null };

export type WorkOrderAfterQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkOrderAfterQuery = { node:
    | { id: string, status: WorkOrderStatus, claims: { nodes: Array<{ id: string, status: ClaimStatus, total: { amount: string } }> } | null }
    | Record<PropertyKey, never>
   | null };


export const CreateWorkOrderDocument = {"__meta__":{"hash":"sha256:e8cfc9780dfe9c6c2acfcf561b932c22f78deb86574026f2bd3a1c96a1c630f2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWorkOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWorkOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWorkOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sla"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeBy"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateWorkOrderMutation, CreateWorkOrderMutationVariables>;
export const DispatchDocument = {"__meta__":{"hash":"sha256:d4e35e61d951d3c9246aa5cf1040767cd6e827fe56ce3f8013bee55447c79c56"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Dispatch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DispatchInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispatch"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"window"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"technicians"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DispatchMutation, DispatchMutationVariables>;
export const SubmitClaimDocument = {"__meta__":{"hash":"sha256:d1edff06d38e0a9ff04a9113c983426549f041aaf5f838837fa696a090c1657a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SubmitClaim"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitClaimInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitClaim"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"claim"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"labor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"travel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"taxes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SubmitClaimMutation, SubmitClaimMutationVariables>;
export const WorkOrderAfterDocument = {"__meta__":{"hash":"sha256:faae8d980953d231dc84028d0d8402358cab2d96213c12d10700fedbe99f1066"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkOrderAfter"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkOrder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"claims"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkOrderAfterQuery, WorkOrderAfterQueryVariables>;