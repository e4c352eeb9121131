/**
 * Wire schemas of the Astea Alliance simulator (Supergood's unofficial REST API): request bodies,
 * query parameters and response bodies. They are the route table's contract: the OpenAPI document
 * is generated from them and, in tests, every response is checked against them.
 */
import { z } from 'zod';
import { ASTEA } from '../../sandbox/dataset/vocab.js';
import { isoParam, pagingQuery } from '../../sandbox/supergood.js';

/** Work order statuses (seed document). */
export const WorkOrderStatus = z.enum(ASTEA.workOrderStatus);
export type WorkOrderStatus = z.infer<typeof WorkOrderStatus>;
/** Work order priorities. */
export const Priority = z.enum(ASTEA.priority);
/** Assignment (dispatch) statuses. */
export const AssignmentStatus = z.enum(ASTEA.assignmentStatus);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;
/** Invoice statuses. */
export const InvoiceStatus = z.enum(ASTEA.invoiceStatus);
/** Kinds of labor a consumption can record; overtime bills at 1.5 times the hourly rate. */
export const LaborType = z.enum(['regular', 'overtime', 'travel']);
export type LaborType = z.infer<typeof LaborType>;

const Timestamp = z.iso.datetime().describe('ISO 8601 UTC timestamp.');
const DateOnly = z.iso.date().describe('Calendar date, YYYY-MM-DD.');
const Money = z.number().describe('Amount in US dollars, two decimals.');
const RecordStatus = z.enum(['active', 'inactive']);

/** A postal address; `line2` only when there is one. */
export const AddressSchema = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().describe('State or province code.'),
  postalCode: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2 country code.'),
});
export type AddressWire = z.infer<typeof AddressSchema>;

/** A work order as `GET /work-orders` lists it (the seed document's item shape). */
export const WorkOrderSchema = z.object({
  workOrderId: z.string(),
  number: z.string(),
  status: WorkOrderStatus,
  priority: Priority,
  customerId: z.string(),
  site: z.object({ siteId: z.string(), address: AddressSchema }),
  asset: z.object({ assetId: z.string(), serialNumber: z.string(), model: z.string() }).nullable().describe('The unit the work is about; null when none.'),
  problemCode: z.string(),
  description: z.string(),
  reportedAt: Timestamp,
  slaDueAt: Timestamp.nullable().describe('When the SLA requires the work to be complete; null without an SLA.'),
  appointmentWindow: z.object({ start: Timestamp, end: Timestamp }).nullable().describe('Planned visit window; null until scheduled.'),
  assignedTechnicianIds: z.array(z.string()),
  updatedAt: Timestamp,
});
export type WorkOrderWire = z.infer<typeof WorkOrderSchema>;

/** A work order as `GET /work-orders/{workOrderId}` returns it: the list shape plus header details. */
export const WorkOrderDetailSchema = WorkOrderSchema.extend({
  serviceType: z.string().describe('repair, maintenance, installation or inspection.'),
  serviceRegion: z.string(),
  responseDueAt: Timestamp.nullable().describe('When the SLA requires a first response.'),
  completedAt: Timestamp.nullable(),
});
export type WorkOrderDetailWire = z.infer<typeof WorkOrderDetailSchema>;

/** What `POST /work-orders/{workOrderId}/assignments` answers (seed document). */
export const AssignmentCreatedSchema = z.object({
  assignmentId: z.string(),
  workOrderId: z.string(),
  status: z.literal('scheduled'),
  technicianId: z.string(),
  scheduledStart: Timestamp,
  scheduledEnd: Timestamp,
  createdAt: Timestamp,
});

/** A dispatch assignment as the reads return it. */
export const AssignmentSchema = z.object({
  assignmentId: z.string(),
  workOrderId: z.string(),
  status: AssignmentStatus,
  technicianId: z.string().nullable().describe('Null on a cancelled visit that never had a technician.'),
  scheduledStart: Timestamp,
  scheduledEnd: Timestamp,
  routeSequence: z.number().int().nullable(),
  notifyTechnician: z.boolean(),
  note: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AssignmentWire = z.infer<typeof AssignmentSchema>;

/** What `POST /work-orders/{workOrderId}/consumptions` answers (seed document). */
export const ConsumptionCreatedSchema = z.object({
  workOrderId: z.string(),
  consumptionId: z.string(),
  partsRecorded: z.number().int(),
  laborEntriesRecorded: z.number().int(),
  status: z.literal('pending_billing'),
  createdAt: Timestamp,
});

const SignatureSchema = z.object({ name: z.string(), signedAt: Timestamp, signatureToken: z.string() });

/** A recorded parts and labor consumption as the reads return it. */
export const ConsumptionSchema = z.object({
  consumptionId: z.string(),
  workOrderId: z.string(),
  status: z.enum(['pending_billing', 'billed']),
  invoiceId: z.string().nullable().describe('The invoice that billed it, once billed.'),
  parts: z.array(
    z.object({
      partNumber: z.string(),
      description: z.string(),
      quantity: z.number(),
      uom: z.string(),
      unitPrice: Money,
      total: Money,
      warehouseId: z.string().nullable(),
      bin: z.string().nullable(),
      serialNumbers: z.array(z.string()),
      lotNumber: z.string().nullable(),
    }),
  ),
  labor: z.array(
    z.object({
      technicianId: z.string(),
      laborType: LaborType,
      hours: z.number(),
      rate: Money.describe('Hourly rate applied.'),
      total: Money,
      startAt: Timestamp.nullable(),
      endAt: Timestamp.nullable(),
      notes: z.string().nullable(),
    }),
  ),
  customerSignature: SignatureSchema.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ConsumptionWire = z.infer<typeof ConsumptionSchema>;

/** A customer account. */
export const CustomerSchema = z.object({
  customerId: z.string(),
  accountNumber: z.string(),
  name: z.string(),
  type: z.enum(['residential', 'commercial']),
  status: RecordStatus,
  contact: z.object({ email: z.string().nullable(), phone: z.string().nullable() }),
  billingAddress: AddressSchema,
  tags: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CustomerWire = z.infer<typeof CustomerSchema>;

/** A service site of a customer. */
export const SiteSchema = z.object({
  siteId: z.string(),
  customerId: z.string(),
  name: z.string(),
  address: AddressSchema,
  geo: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
  contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  status: RecordStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SiteWire = z.infer<typeof SiteSchema>;

/** An installed-base asset with its manufacturer warranty and contract coverage. */
export const AssetSchema = z.object({
  assetId: z.string(),
  siteId: z.string(),
  customerId: z.string(),
  name: z.string(),
  type: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serialNumber: z.string(),
  installedOn: DateOnly,
  status: RecordStatus,
  warranty: z
    .object({ program: z.string().nullable(), startsOn: DateOnly, expiresOn: DateOnly })
    .nullable()
    .describe('Manufacturer warranty; null when the unit never had one.'),
  coverage: z
    .object({ covered: z.boolean(), expiresOn: DateOnly.nullable(), contractId: z.string().nullable() })
    .describe('Contract coverage: covered while the contract entitlement of this asset runs.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AssetWire = z.infer<typeof AssetSchema>;

/** A service contract and the entitlements it grants. */
export const ContractSchema = z.object({
  contractId: z.string(),
  number: z.string(),
  customerId: z.string(),
  name: z.string(),
  type: z.literal('warranty'),
  status: z.enum(['active', 'expired']),
  startsOn: DateOnly,
  endsOn: DateOnly,
  entitlements: z.array(
    z.object({
      assetId: z.string(),
      program: z.string(),
      coverage: z.literal('parts_and_labor'),
      startsOn: DateOnly,
      expiresOn: DateOnly,
      active: z.boolean(),
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ContractWire = z.infer<typeof ContractSchema>;

/** A field technician. */
export const TechnicianSchema = z.object({
  technicianId: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  skills: z.array(z.string()),
  region: z.string(),
  dailyCapacity: z.number().int(),
  status: RecordStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TechnicianWire = z.infer<typeof TechnicianSchema>;

/** An invoice; money as numbers with two decimals, lines computed in exact cents. */
export const InvoiceSchema = z.object({
  invoiceId: z.string(),
  number: z.string(),
  workOrderId: z.string(),
  customerId: z.string(),
  siteId: z.string(),
  status: InvoiceStatus,
  currency: z.literal('USD'),
  issuedOn: DateOnly,
  dueOn: DateOnly,
  lines: z.array(z.object({ code: z.string(), description: z.string(), quantity: z.number(), unitPrice: Money, total: Money })),
  subtotal: Money,
  tax: Money,
  total: Money,
  balance: Money,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InvoiceWire = z.infer<typeof InvoiceSchema>;

// ---------------------------------------------------------------- request bodies

/** True unless both instants parse and `end` is not after `start` (bad timestamps are reported on their own). */
function endsAfter(start: string | null | undefined, end: string | null | undefined): boolean {
  const s = start ? Date.parse(start) : NaN;
  const e = end ? Date.parse(end) : NaN;
  return Number.isNaN(s) || Number.isNaN(e) || e > s;
}

/** True when `v` has at most two decimal places (hours and quantities are billed in hundredths). */
function hundredths(v: number): boolean {
  return Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
}

const InputTimestamp = z.iso.datetime({ offset: true });

/** Body of `POST /work-orders/{workOrderId}/assignments` (seed document). */
export const AssignmentBody = z
  .object({
    technicianId: z.string().min(1),
    scheduledStart: InputTimestamp,
    scheduledEnd: InputTimestamp,
    routeSequence: z.number().int().min(1).optional().describe('Stop number on the technician route that day.'),
    notifyTechnician: z.boolean().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .refine((b) => endsAfter(b.scheduledStart, b.scheduledEnd), {
    path: ['scheduledEnd'],
    message: 'Must be after scheduledStart.',
  });
export type AssignmentBody = z.infer<typeof AssignmentBody>;

const PartBody = z.object({
  partNumber: z.string().min(1),
  description: z.string().optional(),
  quantity: z.number().positive().refine(hundredths, 'At most two decimal places.'),
  uom: z.string().min(1).default('EA'),
  warehouseId: z.string().nullable().optional(),
  bin: z.string().nullable().optional(),
  serialNumbers: z.array(z.string()).default([]),
  lotNumber: z.string().nullable().optional(),
});

const LaborBody = z
  .object({
    technicianId: z.string().min(1),
    laborType: LaborType.default('regular'),
    hours: z.number().positive().max(24).refine(hundredths, 'At most two decimal places.'),
    startAt: InputTimestamp.nullable().optional(),
    endAt: InputTimestamp.nullable().optional(),
    notes: z.string().nullable().optional(),
  })
  .refine((l) => endsAfter(l.startAt, l.endAt), {
    path: ['endAt'],
    message: 'Must be after startAt.',
  });

/** Body of `POST /work-orders/{workOrderId}/consumptions` (seed document). */
export const ConsumptionBody = z
  .object({
    parts: z.array(PartBody).default([]),
    labor: z.array(LaborBody).default([]),
    customerSignature: z.object({ name: z.string().min(1), signedAt: InputTimestamp, signatureToken: z.string().min(1) }).nullable().optional(),
  })
  .refine((b) => b.parts.length + b.labor.length > 0, { path: ['parts'], message: 'Record at least one part or labor entry.' });
export type ConsumptionBody = z.infer<typeof ConsumptionBody>;

/** Body of the sandbox field actions (`en-route`, `on-site`, `complete`). */
export const ActionBody = z.object({ id: z.string().min(1).describe('Work order id.') });

// ---------------------------------------------------------------- queries

/** The update range of a list: both ends inclusive, compared with `updatedAt` (whole seconds). */
const updatedRange = {
  updatedFrom: isoParam.describe('Only records updated at or after this instant (inclusive).'),
  updatedTo: isoParam.describe('Only records updated at or before this instant (inclusive).'),
};

/** `GET /work-orders` (seed document). */
export const WorkOrdersQuery = z.object({
  customerId: z.string().min(1).optional(),
  status: WorkOrderStatus.optional(),
  slaDueFrom: isoParam.describe('Only work orders whose SLA is due at or after this instant (inclusive).'),
  slaDueTo: isoParam.describe('Only work orders whose SLA is due at or before this instant (inclusive).'),
  ...updatedRange,
  ...pagingQuery,
});

/** `GET /customers`. */
export const CustomersQuery = z.object({ status: RecordStatus.optional(), ...updatedRange, ...pagingQuery });

/** `GET /sites`. */
export const SitesQuery = z.object({ customerId: z.string().min(1).optional(), ...updatedRange, ...pagingQuery });

/** `GET /assets`. */
export const AssetsQuery = z.object({
  siteId: z.string().min(1).optional(),
  customerId: z.string().min(1).optional(),
  serialNumber: z.string().min(1).optional().describe('Exact serial number, compared without regard to case.'),
  ...updatedRange,
  ...pagingQuery,
});

/** `GET /contracts`. */
export const ContractsQuery = z.object({ customerId: z.string().min(1).optional(), ...pagingQuery });

/** `GET /technicians`. */
export const TechniciansQuery = z.object({ skill: z.string().min(1).optional(), region: z.string().min(1).optional(), ...pagingQuery });

/** `GET /assignments`. */
export const AssignmentsQuery = z.object({
  technicianId: z.string().min(1).optional(),
  status: AssignmentStatus.optional(),
  scheduledFrom: isoParam.describe('Visits starting at or after this instant.'),
  scheduledTo: isoParam.describe('Visits starting at or before this instant.'),
  ...updatedRange,
  ...pagingQuery,
});

/** `GET /invoices`. */
export const InvoicesQuery = z.object({
  customerId: z.string().min(1).optional(),
  workOrderId: z.string().min(1).optional(),
  status: InvoiceStatus.optional(),
  ...updatedRange,
  ...pagingQuery,
});

/** Paging only (sub-collections). */
export const PagingQuery = z.object({ ...pagingQuery });
