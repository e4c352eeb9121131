/**
 * The ServicePower simulator's wire contract: zod schemas of request bodies, query strings and
 * response bodies. They are the OpenAPI document (`/openapi.json`) and, in tests, the check every
 * response is held to. Shapes follow Supergood's ServicePower page; fields the page does not show
 * (ids of embedded records, `createdAt`, `completedAt`, ...) are added in the same style.
 */
import { z } from 'zod';
import { SP } from '../../sandbox/dataset/vocab.js';
import { isoParam, pagingQuery } from '../../sandbox/supergood.js';

const iso = z.iso.datetime({ offset: true });
const isoOut = z.string().describe('ISO 8601 timestamp, UTC.');
const dateOut = z.string().describe('Calendar date, YYYY-MM-DD.');

/**
 * A money amount as JSON number with at most two decimals (`85.00` arrives as `85`). More
 * decimals are refused: the vendor stores cents.
 */
export const moneyIn = z
  .number()
  .min(0)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'At most two decimal places.');

const money = z.number().describe('Amount in USD, two decimals.');

/** Work order statuses (seed: `new | scheduled | dispatched | in_progress | completed | cancelled | on_hold`). */
export const WorkOrderStatus = z.enum(SP.workOrderStatus);
/** SLA priorities. */
export const Priority = z.enum(SP.priority);
/** Dispatch (visit) statuses. */
export const DispatchStatus = z.enum(SP.dispatchStatus);
/** Claim statuses. */
export const ClaimStatus = z.enum(SP.claimStatus);
/** Service types the tenant is configured with. */
export const ServiceType = z.enum(['repair', 'maintenance', 'installation', 'inspection']);
/** Claim types. */
export const ClaimType = z.enum(['warranty', 'service', 'goodwill']);

const Window = z.object({ start: isoOut, end: isoOut });

/** A work order as `GET /work-orders` and `GET /work-orders/{id}` return it. */
export const WorkOrderWire = z.object({
  workOrderId: z.string(),
  externalRef: z.string().nullable(),
  serviceType: z.string(),
  problemCode: z.string(),
  status: WorkOrderStatus,
  sla: z.object({ respondBy: isoOut, completeBy: isoOut, priority: Priority }),
  appointmentWindow: Window.nullable().describe('Window of the current visit; null until dispatched.'),
  customer: z.object({ customerId: z.string(), name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }),
  location: z.object({
    locationId: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().describe('State or province code.'),
    postalCode: z.string(),
    country: z.string(),
  }),
  equipment: z
    .object({
      equipmentId: z.string(),
      model: z.string(),
      serial: z.string().nullable(),
      entitlement: z.object({
        warranty: z.boolean().describe('Whether the job was entitled to warranty at intake.'),
        expiresOn: dateOut.nullable(),
      }),
    })
    .nullable(),
  serviceRegion: z.string().nullable().describe('Service region code of the location (as on technicians), null outside the service area.'),
  assignedProviderId: z.string().nullable(),
  assignedTechId: z.string().nullable(),
  partsRequired: z.array(z.object({ partNumber: z.string(), quantity: z.number().int() })),
  notes: z.string().nullable(),
  createdAt: isoOut,
  updatedAt: isoOut,
  completedAt: isoOut.nullable(),
});

/** Query of `GET /work-orders`. */
export const WorkOrderQuery = z.object({
  status: WorkOrderStatus.optional(),
  providerId: z.string().min(1).optional().describe('Assigned service provider.'),
  region: z
    .string()
    .min(1)
    .optional()
    .describe('A service region code (`ATL-N`, as on technicians) or the state code of the location (`GA`).'),
  scheduledFrom: isoParam.describe('Appointment window starts at or after this instant.'),
  scheduledTo: isoParam.describe('Appointment window starts at or before this instant.'),
  updatedFrom: isoParam.describe('Updated at or after this instant.'),
  updatedTo: isoParam.describe('Updated at or before this instant.'),
  ...pagingQuery,
});

/** Query of plain list endpoints: paging and an optional update window. */
export const UpdatedQuery = z.object({
  updatedFrom: isoParam.describe('Updated at or after this instant.'),
  updatedTo: isoParam.describe('Updated at or before this instant.'),
  ...pagingQuery,
});

/** Query of sub-collections: paging only. */
export const PagingQuery = z.object({ ...pagingQuery });

const CustomerIn = z
  .object({
    customerId: z.string().min(1).optional().describe('An existing customer; omit to create one from the fields below.'),
    name: z.string().trim().min(1).optional(),
    phone: z.string().nullish(),
    email: z.string().nullish(),
  })
  .superRefine((c, ctx) => {
    if (!c.customerId && !c.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Required.' });
  });

const LocationIn = z
  .object({
    locationId: z.string().min(1).optional().describe('An existing location of the customer; omit to create one.'),
    line1: z.string().trim().min(1).optional(),
    line2: z.string().nullish(),
    city: z.string().trim().min(1).optional(),
    region: z.string().trim().min(1).optional(),
    postalCode: z.string().trim().min(1).optional(),
    country: z.string().trim().min(2).max(2).optional(),
  })
  .superRefine((l, ctx) => {
    if (l.locationId) return;
    for (const f of ['line1', 'city', 'region', 'postalCode', 'country'] as const) {
      if (!l[f]) ctx.addIssue({ code: 'custom', path: [f], message: 'Required.' });
    }
  });

const EquipmentIn = z
  .object({
    equipmentId: z.string().min(1).optional().describe('An existing unit at the location; omit to register one.'),
    model: z.string().trim().min(1).optional(),
    serial: z.string().nullish(),
    type: z.string().min(1).optional().describe('Unit type (e.g. `Dishwasher`); derived from the model when omitted.'),
    manufacturer: z.string().min(1).optional(),
    entitlement: z
      .object({ warranty: z.boolean(), expiresOn: z.iso.date().nullish() })
      .optional()
      .describe('Warranty entitlement claimed at intake (default: the unit’s coverage).'),
  })
  .superRefine((e, ctx) => {
    if (!e.equipmentId && !e.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'Required.' });
  });

/** Body of `POST /work-orders`. */
export const CreateWorkOrderBody = z.object({
  externalRef: z.string().min(1).nullish(),
  serviceType: ServiceType,
  problemCode: z.string().trim().min(1),
  customer: CustomerIn,
  location: LocationIn,
  equipment: EquipmentIn.nullish(),
  sla: z
    .object({ respondBy: iso, completeBy: iso, priority: Priority.default('normal') })
    .superRefine((sla, ctx) => {
      if (Date.parse(sla.completeBy) < Date.parse(sla.respondBy)) {
        ctx.addIssue({ code: 'custom', path: ['completeBy'], message: 'Must not be before respondBy.' });
      }
    })
    .optional()
    .describe('Default: respond within 24 h and complete within 7 days of intake, priority normal.'),
  partsRequired: z.array(z.object({ partNumber: z.string().trim().min(1), quantity: z.number().int().min(1) })).default([]),
  notes: z.string().nullish(),
});
export type CreateWorkOrderInput = z.infer<typeof CreateWorkOrderBody>;

/** Answer of `POST /work-orders`. */
export const CreateWorkOrderResponse = z.object({ workOrderId: z.string(), status: z.literal('new'), createdAt: isoOut });

/** Body of `POST /work-orders/{workOrderId}/dispatch`. */
export const DispatchBody = z.object({
  assignedProviderId: z.string().min(1),
  assignedTechId: z.string().min(1),
  appointmentWindow: z.object({ start: iso, end: iso }).superRefine((w, ctx) => {
    if (Date.parse(w.end) <= Date.parse(w.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start.' });
  }),
  routeDate: z.iso.date().optional().describe('Route (board) day; default: the UTC date of the window start.'),
  instructions: z.string().nullish(),
  skillMatch: z.boolean().default(true).describe('Refuse a technician without the skill for the unit (default true).'),
  requiresParts: z.boolean().default(false),
});
export type DispatchInput = z.infer<typeof DispatchBody>;

/** Answer of `POST /work-orders/{workOrderId}/dispatch`. */
export const DispatchResponse = z.object({
  dispatchId: z.string(),
  workOrderId: z.string(),
  status: z.literal('scheduled'),
  onSiteEta: isoOut,
  createdAt: isoOut,
});

/** A dispatch (one visit of a work order). */
export const DispatchWire = z.object({
  dispatchId: z.string(),
  workOrderId: z.string(),
  status: DispatchStatus,
  assignedProviderId: z.string().nullable(),
  assignedTechId: z.string().nullable(),
  appointmentWindow: Window,
  routeDate: dateOut,
  onSiteEta: isoOut,
  instructions: z.string().nullable(),
  skillMatch: z.boolean(),
  requiresParts: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** Body of `POST /claims`. */
export const CreateClaimBody = z.object({
  workOrderId: z.string().min(1),
  claimType: ClaimType,
  referenceNumber: z.string().trim().min(1).nullish(),
  labor: z.object({ minutes: z.number().int().min(0), rate: moneyIn }),
  parts: z.array(z.object({ partNumber: z.string().trim().min(1), quantity: z.number().int().min(1), unitCost: moneyIn })).default([]),
  travel: z.object({ miles: z.number().min(0), timeMinutes: z.number().int().min(0).default(0) }).nullish(),
  taxes: moneyIn.default(0),
  attachments: z.array(z.object({ fileName: z.string().min(1), uploadToken: z.string().min(1) })).default([]),
  resolution: z.object({ code: z.string().trim().min(1), description: z.string().default('') }),
});
export type CreateClaimInput = z.infer<typeof CreateClaimBody>;

/** Answer of `POST /claims`. */
export const CreateClaimResponse = z.object({
  claimId: z.string(),
  status: z.literal('submitted'),
  workOrderId: z.string(),
  total: money,
  createdAt: isoOut,
});

/** A claim with its line items and totals. */
export const ClaimWire = z.object({
  claimId: z.string(),
  workOrderId: z.string(),
  claimType: ClaimType,
  referenceNumber: z.string().nullable(),
  status: ClaimStatus,
  labor: z.object({ minutes: z.number().int(), rate: money, amount: money }),
  parts: z.array(z.object({ partNumber: z.string(), quantity: z.number().int(), unitCost: money, amount: money })),
  travel: z.object({ miles: z.number(), timeMinutes: z.number().int(), amount: money }).nullable(),
  taxes: money,
  attachments: z.array(z.object({ fileName: z.string(), uploadToken: z.string() })),
  resolution: z.object({ code: z.string(), description: z.string() }),
  totals: z.object({ labor: money, parts: money, travel: money, taxes: money, total: money }),
  total: money,
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** Query of `GET /claims`. */
export const ClaimQuery = z.object({
  workOrderId: z.string().min(1).optional(),
  status: ClaimStatus.optional(),
  updatedFrom: isoParam.describe('Updated at or after this instant.'),
  updatedTo: isoParam.describe('Updated at or before this instant.'),
  ...pagingQuery,
});

const AddressFields = {
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string(),
};

/** A customer. */
export const CustomerWire = z.object({
  customerId: z.string(),
  name: z.string(),
  type: z.enum(['residential', 'commercial']),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.object(AddressFields).describe('Billing address (for customers created with a work order: its location).'),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** A service location. */
export const LocationWire = z.object({
  locationId: z.string(),
  customerId: z.string(),
  name: z.string(),
  ...AddressFields,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  serviceRegion: z.string().nullable(),
  contact: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** A unit (equipment) with its current warranty coverage. */
export const EquipmentWire = z.object({
  equipmentId: z.string(),
  locationId: z.string(),
  customerId: z.string(),
  type: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string(),
  serial: z.string().nullable(),
  installedOn: dateOut.nullable(),
  entitlement: z.object({
    warranty: z.boolean().describe('Covered by a manufacturer program today.'),
    program: z.string().nullable(),
    expiresOn: dateOut.nullable(),
  }),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** A technician of a service provider. */
export const TechnicianWire = z.object({
  technicianId: z.string(),
  providerId: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  skills: z.array(z.string()),
  region: z.string(),
  capacity: z.object({ dailyAppointments: z.number().int() }),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** Query of `GET /technicians`. */
export const TechnicianQuery = z.object({
  providerId: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  skill: z.string().min(1).optional(),
  updatedFrom: isoParam.describe('Updated at or after this instant.'),
  updatedTo: isoParam.describe('Updated at or before this instant.'),
  ...pagingQuery,
});

/** A service provider (the company technicians work for). */
export const ProviderWire = z.object({
  providerId: z.string(),
  name: z.string(),
  regions: z.array(z.string()),
  skills: z.array(z.string()),
  technicianCount: z.number().int(),
  capacity: z.object({ dailyAppointments: z.number().int() }),
  active: z.boolean(),
  createdAt: isoOut,
  updatedAt: isoOut,
});

/** Body of the sandbox actions `start` and `complete`. */
export const ActionBody = z.object({ id: z.string().min(1) });
