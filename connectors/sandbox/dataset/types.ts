/**
 * The sandbox data set: one regional field-service business whose records live in five vendor
 * systems. The generator decides every vendor id, every status (in that vendor's own vocabulary)
 * and every spelling of a name, phone or serial number, so that each simulator only has to render
 * these records in its wire format. The ground truth of which records are the same real-world
 * entity is kept beside the records and is never served by a simulator.
 */
import type { VendorKey } from '../../vendors.js';

/** A postal address as the vendor has it written (spelling varies between vendors on purpose). */
export interface GenAddress {
  line1: string;
  line2?: string;
  city: string;
  /** Two-letter US state code. */
  region: string;
  postalCode: string;
  country: string;
  latitude?: number;
  longitude?: number;
}

/** A reference to a record in (usually another) vendor system. */
export interface GenRef {
  vendor: VendorKey;
  /** The vendor's id, as a string (ServiceTitan and Field Nation ids are integers in decimal). */
  id: string;
}

/** A customer record as one vendor holds it. */
export interface GenCustomer {
  id: string;
  /** Human number shown in the vendor UI, when the vendor has one. */
  number?: string;
  name: string;
  type: 'residential' | 'commercial';
  /** As typed into this vendor: case and spacing vary; absent when this vendor never got it. */
  email?: string;
  /** As typed into this vendor: formats vary ("(404) 555-0199", "+1-404-555-0199", ...). */
  phone?: string;
  /** Billing address. */
  address: GenAddress;
  /** Explicit references to the same customer in other systems (e.g. ServiceTitan externalData). */
  externalRefs: GenRef[];
  tags: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A service location (site) of a customer. */
export interface GenLocation {
  id: string;
  customerId: string;
  name: string;
  address: GenAddress;
  /** On-site contact (Field Nation saved locations carry one). */
  contact?: { name: string; email?: string; phone?: string };
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** An installed unit (equipment, asset) at a location. */
export interface GenEquipment {
  id: string;
  locationId: string;
  customerId: string;
  name: string;
  /** e.g. "Furnace", "Air Conditioner", "Refrigerator", "Chiller". */
  type: string;
  manufacturer: string;
  model: string;
  /** As written in this vendor (case, dashes and spaces vary). */
  serialNumber: string;
  installedOn: string;
  /** Manufacturer warranty, dates as YYYY-MM-DD. */
  warrantyStart?: string;
  warrantyEnd?: string;
  /** Manufacturer program that covers the unit (e.g. "ACME Protect"), when covered. */
  warrantyProgram?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A technician (or a third-party provider, for Field Nation). */
export interface GenTechnician {
  id: string;
  name: string;
  /** As typed into this vendor. */
  email: string;
  phone: string;
  /** Skill codes, e.g. "hvac", "plumbing", "appliance", "refrigeration", "electrical". */
  skills: string[];
  /** Service region code, e.g. "ATL-N". */
  region: string;
  /** ServicePower: the service provider (contractor company) the technician works for. */
  providerId?: string;
  /** How many appointments a day the technician can take. */
  dailyCapacity: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A work order (job) in its vendor's own status vocabulary. */
export interface GenWorkOrder {
  id: string;
  number: string;
  customerId: string;
  locationId: string;
  equipmentIds: string[];
  /** The vendor's own status word, e.g. ServiceTitan "Completed", Sera "in_progress". */
  status: string;
  /** The vendor's own priority word. */
  priority: string;
  /** e.g. "repair", "maintenance", "installation", "inspection". */
  serviceType: string;
  /** e.g. "NO_HEAT", "ICE_MAKER_NOT_WORKING". */
  problemCode: string;
  summary: string;
  region: string;
  sla?: { respondBy: string; completeBy: string };
  /** Planned window of the (first) visit. */
  window?: { start: string; end: string };
  technicianIds: string[];
  /** ServicePower: the assigned contractor company. */
  providerId?: string;
  parts: Array<{ partNumber: string; description: string; quantity: number; unitPrice: string }>;
  /**
   * The vendor's free-text external reference as it holds it (ServicePower `externalRef`, e.g.
   * "ST-JOB-10234" for a job raised from a ServiceTitan job, or a portal reference).
   */
  externalRef?: string;
  /** Other vendors' records of the same job (rendered as externalRef, custom fields, ...). */
  links: GenRef[];
  /** Manufacturer warranty work (ServicePower) */
  warranty: boolean;
  /** Amount the job is worth, as an exact decimal string. */
  total: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
}

/** One visit of a work order. */
export interface GenAppointment {
  id: string;
  workOrderId: string;
  number: string;
  start: string;
  end: string;
  arrivalWindowStart: string;
  arrivalWindowEnd: string;
  /** The vendor's own status word. */
  status: string;
  technicianIds: string[];
  instructions?: string;
  createdAt: string;
  updatedAt: string;
}

/** A line of an invoice or a claim; money as exact decimal strings. */
export interface GenLineItem {
  code: string;
  description: string;
  quantity: string;
  unitPrice: string;
  total: string;
}

/** An invoice for a work order. */
export interface GenInvoice {
  id: string;
  number: string;
  workOrderId: string;
  customerId: string;
  locationId: string;
  issuedOn: string;
  dueOn: string;
  items: GenLineItem[];
  subtotal: string;
  tax: string;
  total: string;
  balance: string;
  /** The vendor's own status word. */
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** A membership (service agreement) of a customer. */
export interface GenMembership {
  id: string;
  customerId: string;
  locationId?: string;
  planId: string;
  planName: string;
  /** The vendor's own status word. */
  status: string;
  from: string;
  to?: string;
  billingCadence: 'monthly' | 'quarterly' | 'annual';
  nextBillingDate?: string;
  includedVisits: number;
  price: string;
  createdAt: string;
  updatedAt: string;
}

/** A warranty claim (ServicePower). */
export interface GenClaim {
  id: string;
  workOrderId: string;
  claimType: 'warranty' | 'service' | 'goodwill';
  referenceNumber: string;
  /** The vendor's own status word. */
  status: string;
  labor: { minutes: number; rate: string };
  parts: Array<{ partNumber: string; quantity: number; unitCost: string }>;
  travel: { miles: string; timeMinutes: number };
  taxes: string;
  total: string;
  resolution: { code: string; description: string };
  createdAt: string;
  updatedAt: string;
}

/** Everything one vendor holds. Collections a vendor does not have stay empty. */
export interface VendorData {
  customers: GenCustomer[];
  locations: GenLocation[];
  equipment: GenEquipment[];
  technicians: GenTechnician[];
  workOrders: GenWorkOrder[];
  appointments: GenAppointment[];
  invoices: GenInvoice[];
  memberships: GenMembership[];
  claims: GenClaim[];
}

/** A set of vendor records that are one real-world entity. */
export interface TruthCluster {
  /** The generator's own key for the real-world entity. */
  key: string;
  members: GenRef[];
}

/** What the generator knows and the simulators never serve. */
export interface GroundTruth {
  customers: TruthCluster[];
  equipment: TruthCluster[];
  technicians: TruthCluster[];
  /** Pairs of work orders that are the same job in two systems. */
  workOrderLinks: Array<[GenRef, GenRef]>;
  /** Pairs of customer records that look alike (same name) but are different people. */
  customerNearMisses: Array<[GenRef, GenRef]>;
  /** Pairs of equipment records with the same serial number but a different maker and model. */
  equipmentNearMisses: Array<[GenRef, GenRef]>;
}

/** Options of {@link generateDataset}. */
export interface DatasetOptions {
  /** PRNG seed; the same seed and sizes give an identical data set. */
  seed: number;
  /** Real-world customers of the business (default 320). */
  customers: number;
  /**
   * Total work orders across all vendors. Default: about three per vendor customer record. The
   * benchmark sets 100,000.
   */
  workOrders?: number;
  /** The instant the data set is generated around ("today"), ISO 8601. */
  anchor: string;
}

/** The whole generated data set. */
export interface Dataset {
  options: DatasetOptions;
  vendors: Record<VendorKey, VendorData>;
  truth: GroundTruth;
}
