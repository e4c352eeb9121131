/**
 * Field Nation reference data the simulator serves beside the generated data set: the buyer
 * company and its API user, the status vocabulary, types of work, service territories, talent
 * pool groups, projects, custom fields and incomplete reasons; plus the vendor's timestamp format.
 * None of these exist in the data set, which only holds clients, locations, providers and work
 * orders.
 */
import { CITIES, REGIONS } from '../../sandbox/dataset/catalog.js';
import { FN } from '../../sandbox/dataset/vocab.js';

/** The buyer company the sandbox API user belongs to. */
export const COMPANY = { id: 7710, name: 'FieldGraph Sandbox Services' } as const;

/** The sandbox API user (the OAuth password-grant user). */
export const API_USER = {
  id: 19001,
  first_name: 'API',
  last_name: 'User',
  email: 'api.user@fieldgraph.test',
} as const;

/** Sandbox OAuth credentials (not secret). */
export const CREDENTIALS = {
  clientId: 'fn-sandbox-client',
  clientSecret: 'fn-sandbox-secret',
  username: API_USER.email,
  password: 'sandbox-password',
} as const;

/** A Field Nation status name (`Draft`, `Work Done`, ...). */
export type StatusName = (typeof FN.status)[number]['name'];

function idOf(name: StatusName): number {
  const s = FN.status.find((x) => x.name === name);
  if (!s) throw new Error(`unknown Field Nation status ${name}`);
  return s.id;
}

/** Status ids by role, from the shared vocabulary (Draft 1, Published 2, ...). */
export const STATUS = {
  Draft: idOf('Draft'),
  Published: idOf('Published'),
  Routed: idOf('Routed'),
  Assigned: idOf('Assigned'),
  WorkDone: idOf('Work Done'),
  Approved: idOf('Approved'),
  Paid: idOf('Paid'),
  Cancelled: idOf('Cancelled'),
} as const;

const STATUS_NAMES = new Map<number, StatusName>(FN.status.map((s) => [s.id, s.name]));

/** The name of status `id`; throws on an id outside the vocabulary (a simulator bug). */
export function statusName(id: number): StatusName {
  const name = STATUS_NAMES.get(id);
  if (!name) throw new Error(`unknown Field Nation status id ${id}`);
  return name;
}

function normalizeWord(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

const STATUS_BY_WORD = new Map<string, number>(FN.status.map((s) => [normalizeWord(s.name), s.id]));

/**
 * A status from a filter token: its id (`5`) or its name in any case and spacing (`Work Done`,
 * `work_done`, `workdone`). Undefined when the token names no status.
 */
export function resolveStatus(token: string): number | undefined {
  const t = token.trim();
  if (/^\d+$/.test(t)) {
    const id = Number(t);
    return STATUS_NAMES.has(id) ? id : undefined;
  }
  return STATUS_BY_WORD.get(normalizeWord(t));
}

/** The status id of a data-set status word; throws when the generator used another word. */
export function statusIdOfWord(word: string): number {
  const id = STATUS_BY_WORD.get(normalizeWord(word));
  if (id === undefined) throw new Error(`the data set holds an unknown Field Nation status "${word}"`);
  return id;
}

/**
 * The saved work-order lists (`list=` parameter) and the statuses each shows. `workorders_all`
 * shows every status.
 */
export const WORK_ORDER_LISTS: ReadonlyArray<{ id: string; label: string; statuses: readonly number[] | null }> = [
  { id: 'workorders_all', label: 'All', statuses: null },
  { id: 'workorders_draft', label: 'Draft', statuses: [STATUS.Draft] },
  { id: 'workorders_published', label: 'Published', statuses: [STATUS.Published, STATUS.Routed] },
  { id: 'workorders_routed', label: 'Routed', statuses: [STATUS.Routed] },
  { id: 'workorders_assigned', label: 'Assigned', statuses: [STATUS.Assigned] },
  { id: 'workorders_done', label: 'Work Done', statuses: [STATUS.WorkDone] },
  { id: 'workorders_approved', label: 'Approved', statuses: [STATUS.Approved] },
  { id: 'workorders_paid', label: 'Paid', statuses: [STATUS.Paid] },
  { id: 'workorders_cancelled', label: 'Cancelled', statuses: [STATUS.Cancelled] },
];

/** A type of work with its service types. */
export interface TypeOfWork {
  id: number;
  name: string;
  /** The data set's skill code this type of work stands for. */
  skill: string;
  serviceTypes: ReadonlyArray<{ id: number; name: string }>;
}

const SERVICE_TYPE_NAMES = ['Repair', 'Maintenance', 'Installation', 'Inspection'] as const;

function typeOfWork(id: number, name: string, skill: string): TypeOfWork {
  return { id, name, skill, serviceTypes: SERVICE_TYPE_NAMES.map((n, i) => ({ id: id * 10 + i + 1, name: n })) };
}

/** The company's types of work (a work order needs at least one). */
export const TYPES_OF_WORK: readonly TypeOfWork[] = [
  typeOfWork(11, 'HVAC', 'hvac'),
  typeOfWork(12, 'Plumbing', 'plumbing'),
  typeOfWork(13, 'Appliance Repair', 'appliance'),
  typeOfWork(14, 'Commercial Refrigeration', 'refrigeration'),
  typeOfWork(15, 'Electrical', 'electrical'),
  typeOfWork(16, 'General Tasks', 'general'),
];

/** Type of work by id. */
export const TYPE_OF_WORK_BY_ID = new Map<number, TypeOfWork>(TYPES_OF_WORK.map((t) => [t.id, t]));

/** The type of work of a data-set skill code (General Tasks for unknown skills). */
export function typeOfWorkForSkill(skill: string): TypeOfWork {
  return TYPES_OF_WORK.find((t) => t.skill === skill) ?? TYPES_OF_WORK[TYPES_OF_WORK.length - 1]!;
}

/** The service type id of a data-set service type word (`repair`, ...) within `tow`. */
export function serviceTypeFor(tow: TypeOfWork, serviceType: string): number | undefined {
  return tow.serviceTypes.find((s) => s.name.toLowerCase() === serviceType.toLowerCase())?.id;
}

/** A service territory: one per service region of the business. */
export interface Territory {
  id: number;
  code: string;
  name: string;
}

const REGION_NAMES: Record<string, string> = {
  'ATL-C': 'Atlanta Central',
  'ATL-N': 'Atlanta North',
  'ATL-E': 'Atlanta East',
  'ATL-W': 'Atlanta West',
  'ATL-S': 'Atlanta South',
};

/** Service territories by region code. */
export const TERRITORIES: readonly Territory[] = REGIONS.map((code, i) => ({ id: 61 + i, code, name: REGION_NAMES[code] ?? code }));

/** The territory of a region code, if any. */
export function territoryOfRegion(code: string): Territory | undefined {
  return TERRITORIES.find((t) => t.code === code);
}

const REGION_OF_CITY = new Map<string, string>(CITIES.map(([city, region]) => [city.toLowerCase(), region]));

/** The territory a city lies in (case-insensitive), if the business serves it. */
export function territoryOfCity(city: string): Territory | undefined {
  const region = REGION_OF_CITY.get(city.trim().toLowerCase());
  return region ? territoryOfRegion(region) : undefined;
}

/** A talent pool group: one per service territory, holding the providers based there. */
export interface TalentPoolGroup {
  id: number;
  name: string;
  description: string;
  territory: Territory;
}

/** The company's talent pool groups (each provider is in exactly one). */
export const TALENT_POOL_GROUPS: readonly TalentPoolGroup[] = TERRITORIES.map((t, i) => ({
  id: 9101 + i,
  name: `${t.name} Providers`,
  description: `Preferred providers based in the ${t.name} service territory (${t.code}).`,
  territory: t,
}));

/** Saved-location types. */
export const LOCATION_TYPES = {
  residential: { id: 1, name: 'Residential' },
  commercial: { id: 2, name: 'Commercial' },
} as const;

/** Location type by id. */
export const LOCATION_TYPE_BY_ID = new Map<number, { id: number; name: string }>(Object.values(LOCATION_TYPES).map((t) => [t.id, t]));

/** Saved-location groups: one per service territory. */
export const LOCATION_GROUPS: ReadonlyArray<{ id: number; name: string; territory: Territory }> = TERRITORIES.map((t, i) => ({
  id: 71 + i,
  name: t.name,
  territory: t,
}));

/** Projects that exist before any write, and which seeded work orders they hold. */
export const SEED_PROJECTS = {
  residential: { id: 501, name: 'Residential Service Calls', description: 'Service calls at homes.' },
  commercial: { id: 502, name: 'Commercial Accounts', description: 'Service calls for commercial clients.' },
  astea: {
    id: 503,
    name: 'Astea Overflow Dispatch',
    description: 'Jobs raised in Astea Alliance and dispatched to Field Nation providers; "Client WO Number" holds the Astea work order number.',
  },
} as const;

/** A custom field configured for the company's work orders. */
export interface CustomFieldDef {
  id: number;
  name: string;
  type: 'text';
  required: boolean;
  visible_to_provider: boolean;
}

/** The company's work-order custom fields. */
export const CUSTOM_FIELDS: readonly CustomFieldDef[] = [
  { id: 301, name: 'Client WO Number', type: 'text', required: false, visible_to_provider: true },
  { id: 302, name: 'External Reference', type: 'text', required: false, visible_to_provider: false },
  { id: 303, name: 'PO Number', type: 'text', required: false, visible_to_provider: false },
];

/** The custom field that carries the linked Astea work order number. */
export const CLIENT_WO_NUMBER_FIELD = 301;

/** Reasons a buyer can give when marking completed work incomplete. */
export const INCOMPLETE_REASONS: ReadonlyArray<{ id: number; name: string }> = [
  { id: 1, name: 'Work not completed' },
  { id: 2, name: 'Deliverables missing' },
  { id: 3, name: 'Return visit required' },
  { id: 4, name: 'Other' },
];

/** `YYYY-MM-DD HH:MM:SS`, the vendor's UTC timestamp format (space, no `T`, no `Z`). */
export const FN_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** A timestamp object as Field Nation writes it: `{utc: 'YYYY-MM-DD HH:MM:SS'}`. */
export function fnTime(ms: number): { utc: string } {
  return { utc: new Date(ms).toISOString().slice(0, 19).replace('T', ' ') };
}

/** Milliseconds of a `YYYY-MM-DD HH:MM:SS` UTC string; undefined when malformed or not a real date. */
export function parseFnTime(s: string): number | undefined {
  if (!FN_TIME_PATTERN.test(s)) return undefined;
  const ms = Date.parse(`${s.replace(' ', 'T')}Z`);
  // Date.parse rolls 2026-02-30 over into March: only a round trip proves the date exists.
  return Number.isNaN(ms) || fnTime(ms).utc !== s ? undefined : ms;
}
