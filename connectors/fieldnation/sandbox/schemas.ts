/**
 * Zod schemas of the Field Nation simulator's wire format: what it answers (checked against every
 * response in tests and published in its OpenAPI document) and what it accepts. Field names follow
 * the vendor's snake_case, except `isPrimary` on types of work, which the vendor writes in camelCase.
 */
import { z } from 'zod';
import { FN_TIME_PATTERN } from './reference.js';

// ---------------------------------------------------------------- shared pieces

/** A timestamp object: `{utc: 'YYYY-MM-DD HH:MM:SS'}`. */
export const FnTimeSchema = z.object({ utc: z.string().regex(FN_TIME_PATTERN) });

/** `{id, name}` reference to another record. */
export const RefSchema = z.object({ id: z.number().int(), name: z.string() });

/** A user as other records mention it. */
export const UserRefSchema = z.object({ id: z.number().int(), first_name: z.string(), last_name: z.string() });

/** Service-window modes: one instant, a window, or business hours over a span. */
export const WINDOW_MODES = ['exact', 'between', 'hours'] as const;

/** Pay types. */
export const PAY_TYPES = ['fixed', 'hourly', 'blended', 'device'] as const;

/** Latitude and longitude. */
export const GeoSchema = z.object({ latitude: z.number(), longitude: z.number() });

/** `metadata` of every list answer. */
export const MetadataSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int().describe('ceil(total / per_page); 0 when there are no results. Loop while page < pages.'),
  per_page: z.number().int(),
  columns: z.string().nullable(),
  view: z.string().nullable(),
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  list: z.string().nullable(),
});

/** The list envelope `{metadata, results}` around `item`. */
export function envelope<T extends z.ZodType>(item: T) {
  return z.object({ metadata: MetadataSchema, results: z.array(item) });
}

// ---------------------------------------------------------------- work orders

/** The status object of a work order. */
export const StatusSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  display: z.string(),
  is_routed: z.boolean(),
  code: z.string().describe('Snake-case status code, e.g. work_done.'),
  delay: z.number().int().describe('Seconds the provider is late (always 0 in the sandbox).'),
  ncns: z.boolean().describe('No call, no show.'),
  sub_status: z.string().nullable(),
  confirmed: z.boolean(),
});

/** A service window. `end` is absent in `exact` mode unless a partial schedule update left an old one. */
export const ServiceWindowSchema = z.object({
  mode: z.enum(WINDOW_MODES),
  start: FnTimeSchema,
  end: FnTimeSchema.optional(),
});

/** The schedule of a work order. */
export const ScheduleSchema = z.object({ service_window: ServiceWindowSchema.nullable() });

/** Pay of a work order. */
export const PaySchema = z.object({
  type: z.enum(PAY_TYPES),
  base: z.object({ amount: z.number().describe('US dollars per unit.'), units: z.number().describe('Units (1 for fixed pay; hours for hourly).') }),
});

/** Where a work order happens: a saved location or a custom address. */
export const WorkOrderLocationSchema = z.object({
  mode: z.enum(['saved', 'custom']),
  id: z.number().int().nullable().describe('Saved location id; null in custom mode.'),
  name: z.string().nullable(),
  display_name: z.string(),
  address1: z.string(),
  address2: z.string().nullable(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  geo: GeoSchema.nullable(),
});

/** One custom field of a work order with its value. */
export const CustomFieldValueSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.literal('text'),
  value: z.string().nullable(),
});

/** The custom fields of a work order: every configured field, null when unset. */
export const CustomFieldsSchema = z.object({ results: z.array(CustomFieldValueSchema) });

/** A type of work as a work order holds it. */
export const WorkOrderTypeOfWorkSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  isPrimary: z.boolean(),
  service_types: z.array(RefSchema),
});

/** A work order. */
export const WorkOrderSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.object({ html: z.string() }),
  status: StatusSchema,
  company: RefSchema,
  client: RefSchema.nullable(),
  project: RefSchema.nullable(),
  types_of_work: z.array(WorkOrderTypeOfWorkSchema),
  location: WorkOrderLocationSchema,
  schedule: ScheduleSchema,
  pay: PaySchema.nullable(),
  assignee: z.object({ user: UserRefSchema }).nullable().describe('The assigned provider (Assigned and later).'),
  routes: z.array(z.object({ user: UserRefSchema, created: FnTimeSchema })).describe('Providers the work order is routed to (Routed).'),
  custom_fields: CustomFieldsSchema,
  cancel_reason: z.string().nullable(),
  created: FnTimeSchema,
  last_updated: FnTimeSchema,
});

/** A saved work-order list with its count. */
export const WorkOrderListSchema = z.object({ id: z.string(), label: z.string(), count: z.number().int(), selected: z.boolean() });

/** Answer of the asynchronous mass-route call. */
export const MassRouteResponseSchema = z.object({ job_id: z.string(), routed: z.array(z.number().int()) });

// ---------------------------------------------------------------- directory records

/** A postal address (clients). */
export const AddressSchema = z.object({
  address1: z.string(),
  address2: z.string().nullable(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
});

/** A saved location. */
export const SavedLocationSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  display_name: z.string(),
  address1: z.string(),
  address2: z.string().nullable(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  type: RefSchema,
  contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  group: RefSchema.nullable(),
  active: z.boolean(),
  client: RefSchema.nullable(),
  geo: GeoSchema.nullable(),
});

/** A client (an end customer of the company). */
export const ClientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(['residential', 'commercial']),
  contact: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  address: AddressSchema.nullable(),
  active: z.boolean(),
  created: FnTimeSchema,
  last_updated: FnTimeSchema,
});

/** A project. */
export const ProjectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  client: RefSchema.nullable(),
  created: FnTimeSchema,
  last_updated: FnTimeSchema,
});

/** A service territory. */
export const TerritorySchema = z.object({ id: z.number().int(), name: z.string(), code: z.string() });

/** A user: a provider (technician) or the company's own API user. */
export const UserSchema = z.object({
  id: z.number().int(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  role: z.enum(['provider', 'buyer']),
  skills: z.array(z.string()).describe('Skill codes, e.g. hvac, plumbing.'),
  types_of_work: z.array(RefSchema),
  service_territory: TerritorySchema.nullable(),
  status: z.enum(['active', 'inactive']),
  created: FnTimeSchema,
  last_updated: FnTimeSchema,
});

/** A type of work with its service types. */
export const TypeOfWorkSchema = z.object({ id: z.number().int(), name: z.string(), service_types: z.array(RefSchema) });

/** A talent pool group. */
export const TalentPoolGroupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  provider_count: z.number().int(),
  service_territory: TerritorySchema,
});

/** A configured custom field. */
export const CustomFieldDefSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.literal('text'),
  required: z.boolean(),
  visible_to_provider: z.boolean(),
});

/** The token endpoint's answer. */
export const TokenResponseSchema = z.object({
  access_token: z.string(),
  expires_in: z.number().int(),
  token_type: z.literal('Bearer'),
  scope: z.string(),
  refresh_token: z.string().describe('Issued but not honoured: request a new token with the password grant.'),
  user: z.object({
    id: z.number().int(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
    company: RefSchema,
  }),
});

// ---------------------------------------------------------------- request bodies

/** An integer id, as a JSON number or a string of digits (webhook payloads carry strings). */
export const IntId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, 'Expected a positive integer id.').transform(Number)]);

/** `{id}` reference in a request body. */
export const IdRef = z.object({ id: IntId });

/** A timestamp object in a request: `{utc: 'YYYY-MM-DD HH:MM:SS'}`. */
export const FnTimeInput = z.object({
  utc: z.string().regex(FN_TIME_PATTERN, 'Expected "YYYY-MM-DD HH:MM:SS" in UTC (a space, no T or Z).'),
});

/** A complete service window (work-order create). */
export const ServiceWindowInput = z.object({
  mode: z.enum(WINDOW_MODES).default('exact'),
  start: FnTimeInput,
  end: FnTimeInput.optional(),
});

/**
 * A schedule change: fields not given keep their old values (pass both start and end to replace a
 * window; `end: null` clears the end).
 */
export const SchedulePatchInput = z.object({
  service_window: z.object({
    mode: z.enum(WINDOW_MODES).optional(),
    start: FnTimeInput.optional(),
    end: FnTimeInput.nullable().optional(),
  }),
});

/** Pay of a new work order. */
export const PayInput = z.object({
  type: z.enum(PAY_TYPES).default('fixed'),
  base: z.object({ amount: z.number().min(0), units: z.number().positive().default(1) }),
});

/** A pay change: fields not given keep their old values. */
export const PayPatchInput = z.object({
  type: z.enum(PAY_TYPES).optional(),
  base: z.object({ amount: z.number().min(0).optional(), units: z.number().positive().optional() }).optional(),
});

const AddressFields = {
  address1: z.string().trim().min(1),
  address2: z.string().optional(),
  city: z.string().trim().min(1),
  state: z.string().trim().min(2),
  zip: z.string().trim().min(3),
  country: z.string().trim().min(2),
};

/** Where a work order happens: a saved location by id, or a custom address. */
export const LocationInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('saved'), id: IntId }),
  z.object({
    mode: z.literal('custom'),
    name: z.string().optional(),
    ...AddressFields,
    geo: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  }),
]);

/** Types of work of a work order (at least one; one primary). */
export const TypesOfWorkInput = z
  .array(z.object({ id: IntId, isPrimary: z.boolean().optional(), service_types: z.array(IdRef).optional() }))
  .min(1);

/** A custom field value by field id or name; null clears it. */
export const CustomFieldInput = z
  .object({ id: IntId.optional(), name: z.string().min(1).optional(), value: z.string().nullable() })
  .refine((v) => v.id !== undefined || v.name !== undefined, { message: 'Give the custom field id or name.' });

/** Custom field values: a bare list or the `{results: [...]}` shape the GET answers. */
export const CustomFieldsInput = z.union([z.array(CustomFieldInput), z.object({ results: z.array(CustomFieldInput) })]);

/** Body of POST /workorders. */
export const WorkOrderCreateInput = z
  .object({
    title: z.string().trim().min(1).max(255),
    description: z.object({ html: z.string() }).optional(),
    types_of_work: TypesOfWorkInput.optional(),
    type_of_work: IdRef.optional().describe('Older single type of work; use types_of_work.'),
    location: LocationInput,
    schedule: z.object({ service_window: ServiceWindowInput }),
    pay: PayInput.optional(),
    project: IdRef.optional(),
    client: IdRef.optional(),
    custom_fields: CustomFieldsInput.optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.types_of_work && !v.type_of_work) {
      ctx.addIssue({ code: 'custom', message: 'Required: at least one type of work.', path: ['types_of_work'] });
    }
  });

/** Body of PUT /workorders/{id}: only the given fields change. */
export const WorkOrderUpdateInput = z.object({
  title: z.string().trim().min(1).max(255).optional(),
  description: z.object({ html: z.string() }).optional(),
  types_of_work: TypesOfWorkInput.optional(),
  location: LocationInput.optional(),
  schedule: SchedulePatchInput.optional(),
  pay: PayPatchInput.optional(),
  project: IdRef.nullable().optional(),
  client: IdRef.nullable().optional(),
  custom_fields: CustomFieldsInput.optional(),
});

/** Body of POST /workorders/{id}/route: `{technician: {id}}` (documented) or `{user: {id}}`. */
export const RouteInput = z
  .object({ technician: IdRef.optional(), user: IdRef.optional() })
  .superRefine((v, ctx) => {
    if (!v.technician && !v.user) ctx.addIssue({ code: 'custom', message: 'Required: technician.id (or user.id).', path: ['technician'] });
  });

/** Body of POST /workorders/{id}/mass-route: provider ids, or a talent pool group whose providers all get it. */
export const MassRouteInput = z
  .object({ ids: z.array(IntId).min(1).optional(), talent_pool_id: IntId.optional() })
  .superRefine((v, ctx) => {
    if (!v.ids && v.talent_pool_id === undefined) ctx.addIssue({ code: 'custom', message: 'Required: ids or talent_pool_id.', path: ['ids'] });
  });

/** Body of POST /workorders/{id}/assignee. */
export const AssigneeInput = z.object({ user: IdRef });

/** Body of PUT /workorders/{id}/custom_fields/{custom_field_id}. */
export const CustomFieldValueInput = z.object({ value: z.string().nullable() });

/** Body of POST /locations. */
export const LocationCreateInput = z.object({
  name: z.string().trim().min(1),
  ...AddressFields,
  type: IdRef.optional(),
  contact: z.object({ name: z.string().trim().min(1), email: z.email().optional(), phone: z.string().optional() }).optional(),
  group: IdRef.optional(),
  client: IdRef.optional(),
  geo: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  active: z.boolean().default(true),
});

/** Body of POST /clients. */
export const ClientCreateInput = z.object({
  name: z.string().trim().min(1),
  type: z.enum(['residential', 'commercial']).default('commercial'),
  contact: z.object({ name: z.string().optional(), email: z.email().optional(), phone: z.string().optional() }).optional(),
  address: z.object(AddressFields).optional(),
  active: z.boolean().default(true),
});

/** Body of POST /projects. */
export const ProjectCreateInput = z.object({
  name: z.string().trim().min(1),
  description: z.string().default(''),
  client: IdRef.optional(),
  active: z.boolean().default(true),
});

/** Body of the token endpoint (JSON or form). */
export const TokenInput = z.object({
  grant_type: z.string().min(1),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});
