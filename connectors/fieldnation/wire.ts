/**
 * Zod schemas of the Field Nation Client REST API v2 payloads the connector sends and receives.
 *
 * Tolerant where the real API is loose (fields left out by `columns`/`view`, nulls, older shapes
 * such as `type_of_work` or a bare status word, ids as numbers or digit strings, money as numbers or
 * strings, timestamps as `{utc}` objects or plain strings), strict on what the connector relies on:
 * record ids, a work order's status name, the list envelope's `metadata`/`results`, the token.
 * Unknown keys are stripped, never refused.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- shared pieces

/** An integer id as a JSON number or a string of digits (webhook payloads carry strings); kept as a decimal string. */
export const FieldNationIdWire = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform((v) => String(v));
export type FieldNationIdWire = z.output<typeof FieldNationIdWire>;

/**
 * A timestamp: documented as `{utc: "YYYY-MM-DD HH:MM:SS"}`; older payloads and some
 * sub-resources carry a bare string. Parsed into ISO 8601 by `parseFieldNationTime` in mapping.ts.
 */
export const FieldNationTimeWire = z.union([z.object({ utc: z.string().nullish() }), z.string()]).nullish();
export type FieldNationTimeWire = z.output<typeof FieldNationTimeWire>;

/** An amount as the API writes it: a JSON number, sometimes a decimal string. */
export const FieldNationAmountWire = z.union([z.number(), z.string()]);
export type FieldNationAmountWire = z.output<typeof FieldNationAmountWire>;

/** `{id, name}` reference to another record. */
export const FieldNationRefWire = z.object({ id: FieldNationIdWire, name: z.string().nullish() });
export type FieldNationRefWire = z.output<typeof FieldNationRefWire>;

/** The `metadata` of every list answer. `pages` drives the walk (`page < pages`). */
export const FieldNationMetadataWire = z.object({
  total: z.number().int().nullish(),
  page: z.coerce.number().int().min(0),
  pages: z.coerce.number().int().min(0).nullish(),
  per_page: z.coerce.number().int().nullish(),
  sort: z.string().nullish(),
  order: z.string().nullish(),
  list: z.string().nullish(),
});
export type FieldNationMetadataWire = z.output<typeof FieldNationMetadataWire>;

/** The list envelope `{metadata, results}` around `item`. */
export function fieldNationList<T extends z.ZodType>(item: T) {
  return z.object({ metadata: FieldNationMetadataWire, results: z.array(item) });
}
/** A list answer. */
export interface FieldNationListWire<T> {
  metadata: FieldNationMetadataWire;
  results: T[];
}

/** A contact (saved locations, clients, work-order contacts). */
export const FieldNationContactWire = z.object({
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
export type FieldNationContactWire = z.output<typeof FieldNationContactWire>;

/** A postal address in Field Nation's field names. */
export const FieldNationAddressWire = z.object({
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
});
export type FieldNationAddressWire = z.output<typeof FieldNationAddressWire>;

const GeoWire = z.object({ latitude: z.coerce.number().nullish(), longitude: z.coerce.number().nullish() });

// ---------------------------------------------------------------- work orders

/**
 * The status object `{id, name, display, is_routed, code, delay, ncns, sub_status, confirmed}`.
 * A bare status word (older payloads) is read as `{name}`.
 */
export const FieldNationStatusWire = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.object({
    id: FieldNationIdWire.nullish(),
    name: z.string().min(1),
    display: z.string().nullish(),
    is_routed: z.boolean().nullish(),
    code: z.string().nullish(),
    delay: z.number().nullish(),
    ncns: z.boolean().nullish(),
    sub_status: z.union([z.string(), z.object({ name: z.string().nullish() })]).nullish(),
    confirmed: z.boolean().nullish(),
  }),
);
export type FieldNationStatusWire = z.output<typeof FieldNationStatusWire>;

/** A service window: `exact` (a start), `between` (start and end) or `hours` (business hours over a span). */
export const FieldNationServiceWindowWire = z.object({
  mode: z.string().nullish(),
  start: FieldNationTimeWire,
  end: FieldNationTimeWire,
});
export type FieldNationServiceWindowWire = z.output<typeof FieldNationServiceWindowWire>;

/** A work order's schedule (also the body of GET /workorders/{id}/schedule). */
export const FieldNationScheduleWire = z.object({ service_window: FieldNationServiceWindowWire.nullish() });
export type FieldNationScheduleWire = z.output<typeof FieldNationScheduleWire>;

/** Pay: `{type, base: {amount, units}}` (amount per unit; units 1 for fixed pay, hours for hourly). */
export const FieldNationPayWire = z.object({
  type: z.string().nullish(),
  base: z.object({ amount: FieldNationAmountWire.nullish(), units: FieldNationAmountWire.nullish() }).nullish(),
});
export type FieldNationPayWire = z.output<typeof FieldNationPayWire>;

/** Where a work order happens: a saved location (`mode: saved`, with its id) or a custom address. */
export const FieldNationWorkOrderLocationWire = FieldNationAddressWire.extend({
  mode: z.string().nullish(),
  id: FieldNationIdWire.nullish(),
  name: z.string().nullish(),
  display_name: z.string().nullish(),
  geo: GeoWire.nullish(),
});
export type FieldNationWorkOrderLocationWire = z.output<typeof FieldNationWorkOrderLocationWire>;

/** One custom field of a work order with its value. */
export const FieldNationCustomFieldValueWire = z.object({
  id: FieldNationIdWire.nullish(),
  name: z.string().nullish(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});
export type FieldNationCustomFieldValueWire = z.output<typeof FieldNationCustomFieldValueWire>;

/** A work order's custom fields: `{results: [...]}` (documented) or a bare list. */
export const FieldNationCustomFieldsWire = z.union([
  z.object({ results: z.array(FieldNationCustomFieldValueWire) }),
  z.array(FieldNationCustomFieldValueWire).transform((results) => ({ results })),
]);
export type FieldNationCustomFieldsWire = z.output<typeof FieldNationCustomFieldsWire>;

/** A user as other records mention it. */
export const FieldNationUserRefWire = z.object({
  id: FieldNationIdWire,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});
export type FieldNationUserRefWire = z.output<typeof FieldNationUserRefWire>;

/** A type of work as a work order holds it. */
export const FieldNationWorkOrderTypeOfWorkWire = z.object({
  id: FieldNationIdWire,
  name: z.string().nullish(),
  isPrimary: z.boolean().nullish(),
  service_types: z.array(FieldNationRefWire).nullish(),
});
export type FieldNationWorkOrderTypeOfWorkWire = z.output<typeof FieldNationWorkOrderTypeOfWorkWire>;

/** A work order (GET /workorders/{id}, list rows, and the answer of every lifecycle action). */
export const FieldNationWorkOrderWire = z.object({
  id: FieldNationIdWire,
  title: z.string().nullish(),
  description: z.union([z.object({ html: z.string().nullish() }), z.string()]).nullish(),
  status: FieldNationStatusWire,
  company: FieldNationRefWire.nullish(),
  client: FieldNationRefWire.nullish(),
  project: FieldNationRefWire.nullish(),
  types_of_work: z.array(FieldNationWorkOrderTypeOfWorkWire).nullish(),
  /** Older single type of work. */
  type_of_work: FieldNationRefWire.nullish(),
  location: FieldNationWorkOrderLocationWire.nullish(),
  schedule: FieldNationScheduleWire.nullish(),
  pay: FieldNationPayWire.nullish(),
  assignee: z.object({ user: FieldNationUserRefWire.nullish() }).nullish(),
  routes: z.array(z.object({ user: FieldNationUserRefWire, created: FieldNationTimeWire })).nullish(),
  custom_fields: FieldNationCustomFieldsWire.nullish(),
  cancel_reason: z.string().nullish(),
  created: FieldNationTimeWire,
  last_updated: FieldNationTimeWire,
  /** Some payloads name the modification time `updated`. */
  updated: FieldNationTimeWire,
});
export type FieldNationWorkOrderWire = z.output<typeof FieldNationWorkOrderWire>;

export const FieldNationWorkOrderListWire = fieldNationList(FieldNationWorkOrderWire);

/** Answer of POST /workorders/{id}/mass-route (asynchronous job). */
export const FieldNationMassRouteWire = z.object({ job_id: z.string().nullish() });

// ---------------------------------------------------------------- directory records

/** A client: one of the company's end customers (GET /clients, /clients/{id}). */
export const FieldNationClientWire = z.object({
  id: FieldNationIdWire,
  name: z.string().min(1),
  type: z.string().nullish(),
  contact: FieldNationContactWire.nullish(),
  address: FieldNationAddressWire.nullish(),
  active: z.boolean().nullish(),
  created: FieldNationTimeWire,
  last_updated: FieldNationTimeWire,
});
export type FieldNationClientWire = z.output<typeof FieldNationClientWire>;
export const FieldNationClientListWire = fieldNationList(FieldNationClientWire);

/** A saved location (GET /locations, /locations/{id}). */
export const FieldNationLocationWire = FieldNationAddressWire.extend({
  id: FieldNationIdWire,
  name: z.string().nullish(),
  display_name: z.string().nullish(),
  type: FieldNationRefWire.nullish(),
  contact: FieldNationContactWire.nullish(),
  group: FieldNationRefWire.nullish(),
  active: z.boolean().nullish(),
  client: FieldNationRefWire.nullish(),
  geo: GeoWire.nullish(),
  created: FieldNationTimeWire,
  last_updated: FieldNationTimeWire,
});
export type FieldNationLocationWire = z.output<typeof FieldNationLocationWire>;
export const FieldNationLocationListWire = fieldNationList(FieldNationLocationWire);

/** A user: a provider (technician) or a buyer user (GET /users/{id}, talent pool members). */
export const FieldNationUserWire = z.object({
  id: FieldNationIdWire,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  role: z.string().nullish(),
  skills: z.array(z.union([z.string(), z.object({ name: z.string() }).transform((s) => s.name)])).nullish(),
  types_of_work: z.array(FieldNationRefWire).nullish(),
  service_territory: z.object({ id: FieldNationIdWire.nullish(), name: z.string().nullish(), code: z.string().nullish() }).nullish(),
  status: z.string().nullish(),
  created: FieldNationTimeWire,
  last_updated: FieldNationTimeWire,
});
export type FieldNationUserWire = z.output<typeof FieldNationUserWire>;
export const FieldNationUserListWire = fieldNationList(FieldNationUserWire);

/** A talent pool group (the routing primitive; providers are enumerated through them). */
export const FieldNationTalentPoolGroupWire = z.object({ id: FieldNationIdWire, name: z.string().nullish(), provider_count: z.number().int().nullish() });
export type FieldNationTalentPoolGroupWire = z.output<typeof FieldNationTalentPoolGroupWire>;
export const FieldNationTalentPoolGroupListWire = fieldNationList(FieldNationTalentPoolGroupWire);

/** A type of work with its service types (GET /types-of-work). */
export const FieldNationTypeOfWorkWire = z.object({
  id: FieldNationIdWire,
  name: z.string().min(1),
  service_types: z.array(FieldNationRefWire).nullish(),
});
export type FieldNationTypeOfWorkWire = z.output<typeof FieldNationTypeOfWorkWire>;
export const FieldNationTypeOfWorkListWire = fieldNationList(FieldNationTypeOfWorkWire);

/** A configured work-order custom field (GET /custom-fields). */
export const FieldNationCustomFieldDefWire = z.object({ id: FieldNationIdWire, name: z.string().min(1), type: z.string().nullish() });
export type FieldNationCustomFieldDefWire = z.output<typeof FieldNationCustomFieldDefWire>;
export const FieldNationCustomFieldDefListWire = fieldNationList(FieldNationCustomFieldDefWire);

/** A reason for marking done work incomplete (GET /incomplete-reasons). */
export const FieldNationIncompleteReasonListWire = fieldNationList(FieldNationRefWire);

// ---------------------------------------------------------------- auth and errors

/** Body of the password-grant token request (JSON in the current docs, form fields in the legacy ones). */
export const FieldNationTokenRequestWire = z.object({
  grant_type: z.literal('password'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type FieldNationTokenRequestWire = z.output<typeof FieldNationTokenRequestWire>;

/** The token endpoint's answer. Refresh tokens are not honoured: the connector signs in again. */
export const FieldNationTokenWire = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().nullish(),
  token_type: z.string().nullish(),
  scope: z.string().nullish(),
  refresh_token: z.string().nullish(),
  user: z.object({ id: FieldNationIdWire.nullish() }).nullish(),
});
export type FieldNationTokenWire = z.output<typeof FieldNationTokenWire>;

/**
 * An error body: RFC 9457 problem+json `{type, title, status, detail, code, retryable,
 * correlationId, errors[], agent?}` on current endpoints; `{status, message}` or
 * `{status_code, message}` on older ones; `{error, error_description}` from OAuth.
 */
export const FieldNationProblemWire = z.object({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.union([z.number(), z.string()]).nullish(),
  status_code: z.union([z.number(), z.string()]).nullish(),
  detail: z.string().nullish(),
  message: z.string().nullish(),
  error: z.string().nullish(),
  error_description: z.string().nullish(),
  code: z.string().nullish(),
  retryable: z.boolean().nullish(),
  correlationId: z.string().nullish(),
  errors: z
    .array(z.union([z.object({ field: z.string().nullish(), message: z.string().nullish() }), z.string().transform((message) => ({ field: undefined, message }))]))
    .nullish(),
  agent: z.object({ action: z.string().nullish(), backoffMs: z.number().nullish(), maxAttempts: z.number().nullish() }).nullish(),
});
export type FieldNationProblemWire = z.output<typeof FieldNationProblemWire>;

// ---------------------------------------------------------------- request bodies

/** A timestamp in a request: `{utc: "YYYY-MM-DD HH:MM:SS"}`. */
export const FieldNationTimeInputWire = z.object({ utc: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });

/** A complete service window in a request. */
export const FieldNationServiceWindowInputWire = z.object({
  mode: z.enum(['exact', 'between', 'hours']),
  start: FieldNationTimeInputWire,
  end: FieldNationTimeInputWire.optional(),
});

/** Body of PUT /workorders/{id}/schedule (both start and end, so no old value survives). */
export const FieldNationScheduleBodyWire = z.object({ service_window: FieldNationServiceWindowInputWire });
export type FieldNationScheduleBodyWire = z.output<typeof FieldNationScheduleBodyWire>;

/** A work order's location in a request: a saved location by id, or a custom address. */
export const FieldNationLocationInputWire = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('saved'), id: z.number().int().positive() }),
  z.object({
    mode: z.literal('custom'),
    name: z.string().optional(),
    address1: z.string().min(1),
    address2: z.string().optional(),
    city: z.string().min(1),
    state: z.string().min(1),
    zip: z.string().min(1),
    country: z.string().min(2),
  }),
]);
export type FieldNationLocationInputWire = z.output<typeof FieldNationLocationInputWire>;

/** Body of POST /workorders (created in Draft). */
export const FieldNationWorkOrderCreateWire = z.object({
  title: z.string().min(1).max(255),
  description: z.object({ html: z.string() }).optional(),
  types_of_work: z
    .array(z.object({ id: z.number().int().positive(), isPrimary: z.boolean(), service_types: z.array(z.object({ id: z.number().int().positive() })).optional() }))
    .min(1),
  location: FieldNationLocationInputWire,
  schedule: FieldNationScheduleBodyWire,
  pay: z.object({ type: z.enum(['fixed', 'hourly', 'blended', 'device']), base: z.object({ amount: z.number().min(0), units: z.number().positive() }) }).optional(),
  project: z.object({ id: z.number().int().positive() }).optional(),
  client: z.object({ id: z.number().int().positive() }).optional(),
  custom_fields: z.array(z.object({ id: z.number().int().positive(), value: z.string().nullable() })).optional(),
});
export type FieldNationWorkOrderCreateWire = z.output<typeof FieldNationWorkOrderCreateWire>;

/** Body of POST /clients. */
export const FieldNationClientCreateWire = z.object({
  name: z.string().min(1),
  contact: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).optional(),
  address: z
    .object({ address1: z.string().min(1), address2: z.string().optional(), city: z.string().min(1), state: z.string().min(1), zip: z.string().min(1), country: z.string().min(2) })
    .optional(),
});
export type FieldNationClientCreateWire = z.output<typeof FieldNationClientCreateWire>;

/** Body of POST /workorders/{id}/route (the documented shape). */
export const FieldNationRouteBodyWire = z.object({ technician: z.object({ id: z.number().int().positive() }) });
export type FieldNationRouteBodyWire = z.output<typeof FieldNationRouteBodyWire>;

/** Body of POST /workorders/{id}/assignee. */
export const FieldNationAssigneeBodyWire = z.object({ user: z.object({ id: z.number().int().positive() }) });
export type FieldNationAssigneeBodyWire = z.output<typeof FieldNationAssigneeBodyWire>;
