/**
 * The data-set generator: one regional field-service business (Atlanta metro) whose customers,
 * units, technicians and jobs are spread over five vendor systems, with deliberate overlaps.
 *
 * - The same customer appears in several systems, written differently (name case and order, email
 *   case and spaces, phone formats, street suffixes, ZIP+4).
 * - The same unit appears in several systems by serial number, written differently.
 * - Work orders reference each other: a ServicePower warranty job names the ServiceTitan job it
 *   came from (`externalRef: "ST-JOB-10234"`), a Field Nation job carries the number of the Astea
 *   work order it serves.
 * - Near-misses: different people with the same name; different units with the same serial.
 *
 * Deterministic: the same options give an identical data set (no clock, no Math.random). The
 * ground truth of every link is returned beside the records and never served by a simulator.
 */
import { VENDOR_KEYS, type VendorKey } from '../../vendors.js';
import {
  AREA_CODES,
  CITIES,
  COMPANY_KINDS,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LABOR_RATE,
  LAST_NAMES,
  MEMBERSHIP_PLANS,
  PARTS,
  REGIONS,
  STREETS,
  TAX_RATE_BP,
  UNIT_TYPES,
} from './catalog.js';
import { fromCents, mulDiv, toCents } from './money.js';
import { Rng } from '../rng.js';
import type {
  Dataset,
  DatasetOptions,
  GenAddress,
  GenAppointment,
  GenCustomer,
  GenEquipment,
  GenInvoice,
  GenLineItem,
  GenRef,
  GenTechnician,
  GenWorkOrder,
  GroundTruth,
  TruthCluster,
  VendorData,
} from './types.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Travel on claims is paid at 6.5 cents a mile (ServicePower: 12.3 miles -> 0.80). */
export const TRAVEL_CENTS_PER_TENTH_MILE = { numerator: 65, denominator: 100 };

/** The travel amount of a claim, in cents, for `miles` as a decimal string with one place. */
export function travelCents(miles: string): number {
  const tenths = Math.round(Number(miles) * 10);
  return mulDiv(tenths, TRAVEL_CENTS_PER_TENTH_MILE.numerator, TRAVEL_CENTS_PER_TENTH_MILE.denominator);
}

/** The lifecycle phase a generated job is in; each vendor words it its own way. */
type Phase = 'new' | 'scheduled' | 'dispatched' | 'in_progress' | 'on_hold' | 'completed' | 'cancelled';

/** How jobs are spread over vendor customer records: average jobs per record. */
const JOBS_PER_RECORD: Record<VendorKey, number> = { servicetitan: 3, astea: 3, sera: 2, servicepower: 2, fieldnation: 2 };

/** Which systems hold a customer: probability per vendor, by customer type. */
const PRESENCE: Record<'residential' | 'commercial', Record<VendorKey, number>> = {
  residential: { servicetitan: 0.6, sera: 0.35, servicepower: 0.3, fieldnation: 0.12, astea: 0.05 },
  commercial: { astea: 0.85, servicetitan: 0.3, fieldnation: 0.3, servicepower: 0.15, sera: 0.05 },
};

interface RealAddress {
  number: number;
  street: readonly [string, string, string, string];
  unit?: string;
  city: string;
  region: string;
  zip: string;
  plus4: string;
  lat: number;
  lng: number;
}

interface RealUnit {
  key: string;
  typeIndex: number;
  makerIndex: number;
  manufacturer: string;
  model: string;
  program?: string;
  skill: string;
  type: string;
  serial: string;
  installedOn: number;
  warrantyEnd?: number;
  problems: readonly string[];
  /** Vendor record ids of this unit, by vendor. */
  records: Partial<Record<VendorKey, string>>;
}

interface RealLocation {
  key: string;
  address: RealAddress;
  serviceRegion: string;
  units: RealUnit[];
  records: Partial<Record<VendorKey, string>>;
}

interface RealCustomer {
  key: string;
  type: 'residential' | 'commercial';
  name: string;
  first?: string;
  last?: string;
  email: string;
  phone: string;
  /** Which identifier every record of this customer carries (so the records are linkable). */
  anchor: 'email' | 'phone';
  locations: RealLocation[];
  vendors: VendorKey[];
  records: Partial<Record<VendorKey, string>>;
  since: number;
  twinOf?: RealCustomer;
}

interface RealTech {
  key: string;
  first: string;
  last: string;
  email: string;
  phone: string;
  skills: string[];
  region: string;
  capacity: number;
  records: Partial<Record<VendorKey, string>>;
}

function emptyVendor(): VendorData {
  return { customers: [], locations: [], equipment: [], technicians: [], workOrders: [], appointments: [], invoices: [], memberships: [], claims: [] };
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Generates the data set for `options`. */
export function generateDataset(options: DatasetOptions): Dataset {
  const rng = new Rng(options.seed);
  const anchor = Date.parse(options.anchor);
  if (Number.isNaN(anchor)) throw new Error(`invalid anchor ${options.anchor}`);
  const vendors = Object.fromEntries(VENDOR_KEYS.map((k) => [k, emptyVendor()])) as Record<VendorKey, VendorData>;
  const truth: GroundTruth = { customers: [], equipment: [], technicians: [], workOrderLinks: [], customerNearMisses: [], equipmentNearMisses: [] };

  // ---------------------------------------------------------------- identifiers
  const usedPhones = new Set<string>();
  const usedEmails = new Set<string>();
  const usedHex = new Set<string>();
  const counters = new Map<string, number>();
  const next = (name: string, start: number): number => {
    const n = (counters.get(name) ?? start) + 1;
    counters.set(name, n);
    return n;
  };
  const hexId = (prefix: string, digits = 6): string => {
    const r = rng.fork(`${prefix}:${counters.get(`hex:${prefix}`) ?? 0}`);
    counters.set(`hex:${prefix}`, (counters.get(`hex:${prefix}`) ?? 0) + 1);
    for (let d = digits; ; d++) {
      for (let attempt = 0; attempt < 8; attempt++) {
        const id = `${prefix}_${r.hex(d)}`;
        if (!usedHex.has(id)) {
          usedHex.add(id);
          return id;
        }
      }
    }
  };
  const ids = {
    servicetitan: (kind: string) => String(next(`st:${kind}`, ST_BASE[kind] ?? 5_900_000_000)),
    fieldnation: (kind: string) => String(next(`fn:${kind}`, FN_BASE[kind] ?? 900_000)),
  };

  const newPhone = (r: Rng): string => {
    for (;;) {
      const p = `${r.pick(AREA_CODES)}${r.int(200, 999)}${String(r.int(0, 9999)).padStart(4, '0')}`;
      if (!p.slice(3, 6).startsWith('555') && !usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };
  const newEmail = (r: Rng, local: string, domain?: string): string => {
    const d = domain ?? r.pick(EMAIL_DOMAINS);
    for (let n = 0; ; n++) {
      const e = `${local}${n === 0 ? '' : n + 1}@${d}`;
      if (!usedEmails.has(e)) {
        usedEmails.add(e);
        return e;
      }
    }
  };

  // ---------------------------------------------------------------- real-world customers
  const cRng = rng.fork('customers');
  const newAddress = (r: Rng): { address: RealAddress; serviceRegion: string } => {
    const [city, region, zips] = r.pick(CITIES);
    return {
      address: {
        number: r.int(10, 9899),
        street: r.pick(STREETS),
        ...(r.chance(0.15) ? { unit: String(r.int(1, 40)) } : {}),
        city,
        region: 'GA',
        zip: r.pick(zips),
        plus4: String(r.int(1000, 9999)),
        lat: 33.45 + r.next() * 0.6,
        lng: -84.75 + r.next() * 0.75,
      },
      serviceRegion: region,
    };
  };

  const units: RealUnit[] = [];
  const newUnit = (r: Rng, commercial: boolean, key: string): RealUnit => {
    const candidates = UNIT_TYPES.map((t, i) => [i, t.commercial === commercial ? 3 : commercial ? 1 : 0] as const).filter(([, w]) => w > 0);
    const typeIndex = r.weighted(candidates);
    const t = UNIT_TYPES[typeIndex]!;
    const makerIndex = r.int(0, t.makers.length - 1);
    const maker = t.makers[makerIndex]!;
    const installedOn = anchor - r.int(60, 3650) * DAY;
    const covered = maker.program !== undefined;
    const unit: RealUnit = {
      key,
      typeIndex,
      makerIndex,
      manufacturer: maker.manufacturer,
      model: r.pick(maker.models),
      ...(maker.program ? { program: maker.program } : {}),
      skill: t.skill,
      type: t.type,
      serial: `${maker.serialPrefix}${r.int(1000000, 9999999)}${String.fromCharCode(65 + r.int(0, 25))}`,
      installedOn,
      ...(covered ? { warrantyEnd: installedOn + (r.chance(0.5) ? 5 : 10) * 365 * DAY } : r.chance(0.5) ? { warrantyEnd: installedOn + 365 * DAY } : {}),
      problems: t.problems,
      records: {},
    };
    units.push(unit);
    return unit;
  };

  const realCustomers: RealCustomer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const r = cRng.fork(`c${i}`);
    const type: RealCustomer['type'] = r.chance(0.15) ? 'commercial' : 'residential';
    let name: string;
    let first: string | undefined;
    let last: string | undefined;
    let emailLocal: string;
    let twinOf: RealCustomer | undefined;
    // About one customer in 30 has the same name as an earlier, different customer.
    const twinCandidates = i > 10 && r.chance(1 / 30) ? realCustomers.filter((c) => c.type === type && !c.twinOf) : [];
    if (twinCandidates.length > 0) {
      twinOf = r.pick(twinCandidates);
      name = twinOf.name;
      first = twinOf.first;
      last = twinOf.last;
      emailLocal = type === 'residential' ? `${first![0]!.toLowerCase()}${last!.toLowerCase().replace(/\W/g, '')}` : `office.${name.split(' ')[0]!.toLowerCase()}`;
    } else if (type === 'residential') {
      first = r.pick(FIRST_NAMES);
      last = r.pick(LAST_NAMES);
      name = `${first} ${last}`;
      emailLocal = r.chance(0.5) ? `${first}.${last}`.toLowerCase() : `${first[0]}${last}`.toLowerCase();
    } else {
      const suffix = r.pick(COMPANY_SUFFIXES);
      name = `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)}${suffix ? ` ${suffix}` : ''}`;
      emailLocal = r.pick(['office', 'facilities', 'manager', 'info']);
    }
    emailLocal = emailLocal.replace(/[^a-z0-9.]/g, '');
    const locCount = type === 'commercial' ? (r.chance(0.35) ? 2 : 1) : r.chance(0.1) ? 2 : 1;
    const locations: RealLocation[] = [];
    for (let l = 0; l < locCount; l++) {
      const { address, serviceRegion } = newAddress(r);
      const loc: RealLocation = { key: `loc-${i}-${l}`, address, serviceRegion, units: [], records: {} };
      const unitCount = type === 'commercial' ? r.int(1, 4) : r.int(1, 3);
      for (let u = 0; u < unitCount; u++) loc.units.push(newUnit(r, type === 'commercial', `unit-${i}-${l}-${u}`));
      locations.push(loc);
    }
    const presence = PRESENCE[type];
    let vendorList = VENDOR_KEYS.filter((v) => r.chance(presence[v]));
    if (vendorList.length === 0) vendorList = [type === 'commercial' ? 'astea' : 'servicetitan'];
    const domain = type === 'commercial' ? `${name.split(' ')[0]!.toLowerCase()}${r.int(1, 99)}.example.com` : undefined;
    realCustomers.push({
      key: `customer-${i}`,
      type,
      name,
      ...(first ? { first } : {}),
      ...(last ? { last } : {}),
      email: newEmail(r, emailLocal, domain),
      phone: newPhone(r),
      anchor: r.chance(0.55) ? 'email' : 'phone',
      locations,
      vendors: vendorList,
      records: {},
      since: anchor - r.int(30, 2000) * DAY,
      ...(twinOf ? { twinOf } : {}),
    });
  }

  // A few units share a serial number with a unit of another maker: they must stay apart.
  const eRng = rng.fork('equipment-near-miss');
  const nearMissUnits: Array<[RealUnit, RealUnit]> = [];
  const nmCount = Math.max(4, Math.floor(units.length / 150));
  for (let n = 0; n < nmCount && units.length > 2; n++) {
    const a = eRng.pick(units);
    const b = eRng.pick(units);
    if (a === b || a.manufacturer === b.manufacturer || a.model === b.model) continue;
    b.serial = a.serial;
    nearMissUnits.push([a, b]);
  }

  // ---------------------------------------------------------------- technicians
  const tRng = rng.fork('technicians');
  const techCount = Math.max(12, Math.ceil(options.customers / 20));
  const skillSets = [['hvac'], ['hvac', 'electrical'], ['plumbing'], ['appliance'], ['hvac', 'refrigeration'], ['refrigeration'], ['plumbing', 'hvac'], ['appliance', 'electrical']];
  const inHouse: RealTech[] = [];
  for (let t = 0; t < techCount; t++) {
    const first = tRng.pick(FIRST_NAMES);
    const last = tRng.pick(LAST_NAMES);
    inHouse.push({
      key: `tech-${t}`,
      first,
      last,
      email: newEmail(tRng, `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, ''), 'atlcomfort.example.com'),
      phone: newPhone(tRng),
      skills: skillSets[t % skillSets.length]!,
      region: REGIONS[t % REGIONS.length]!,
      capacity: tRng.int(4, 6),
      records: {},
    });
  }
  const contractorTechs: RealTech[] = [];
  const providerOf = new Map<string, string>();
  const ownProvider = hexId('sp');
  const contractors = [hexId('sp'), hexId('sp')];
  for (let t = 0; t < 8; t++) {
    const first = tRng.pick(FIRST_NAMES);
    const last = tRng.pick(LAST_NAMES);
    const rt: RealTech = {
      key: `contractor-${t}`,
      first,
      last,
      email: newEmail(tRng, `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, ''), 'example.net'),
      phone: newPhone(tRng),
      skills: skillSets[(t * 3) % skillSets.length]!,
      region: REGIONS[t % REGIONS.length]!,
      capacity: 5,
      records: {},
    };
    providerOf.set(rt.key, contractors[t % 2]!);
    contractorTechs.push(rt);
  }
  const fnProviders: RealTech[] = [];
  for (let t = 0; t < Math.max(12, Math.ceil(techCount * 0.8)); t++) {
    const first = tRng.pick(FIRST_NAMES);
    const last = tRng.pick(LAST_NAMES);
    fnProviders.push({
      key: `provider-${t}`,
      first,
      last,
      email: newEmail(tRng, `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, ''), 'example.org'),
      phone: newPhone(tRng),
      skills: skillSets[(t * 5) % skillSets.length]!,
      region: REGIONS[t % REGIONS.length]!,
      capacity: 4,
      records: {},
    });
  }

  const techRecord = (vendor: VendorKey, rt: RealTech, r: Rng, providerId?: string): GenTechnician => {
    const id =
      vendor === 'servicetitan' ? ids.servicetitan('technician') : vendor === 'fieldnation' ? ids.fieldnation('user') : hexId('tech');
    rt.records[vendor] = id;
    const created = anchor - r.int(200, 2000) * DAY;
    return {
      id,
      name: `${rt.first} ${rt.last}`,
      email: emailVariant(r, rt.email),
      phone: phoneVariant(r, rt.phone),
      skills: rt.skills.slice(),
      region: rt.region,
      ...(providerId ? { providerId } : {}),
      dailyCapacity: rt.capacity,
      active: true,
      createdAt: iso(created),
      updatedAt: iso(created + r.int(0, 150) * DAY),
    };
  };
  const rosters: Record<VendorKey, Array<{ rec: GenTechnician; real: RealTech }>> = {
    servicetitan: [],
    fieldnation: [],
    servicepower: [],
    sera: [],
    astea: [],
  };
  for (const rt of inHouse) {
    const r = tRng.fork(rt.key);
    rosters.servicetitan.push({ rec: techRecord('servicetitan', rt, r), real: rt });
    if (r.chance(0.6)) rosters.sera.push({ rec: techRecord('sera', rt, r), real: rt });
    if (rt.skills.includes('refrigeration') || rt.skills.includes('hvac') ? r.chance(0.7) : r.chance(0.2)) {
      rosters.astea.push({ rec: techRecord('astea', rt, r), real: rt });
    }
    if (r.chance(0.45)) rosters.servicepower.push({ rec: techRecord('servicepower', rt, r, ownProvider), real: rt });
  }
  for (const rt of contractorTechs) rosters.servicepower.push({ rec: techRecord('servicepower', rt, tRng.fork(rt.key), providerOf.get(rt.key)), real: rt });
  for (const rt of fnProviders) rosters.fieldnation.push({ rec: techRecord('fieldnation', rt, tRng.fork(rt.key)), real: rt });
  // Every skill must be coverable in every vendor that does that kind of work.
  for (const v of ['sera', 'astea'] as const) {
    for (const skill of ['hvac', 'plumbing', 'appliance', 'refrigeration']) {
      if (v === 'sera' && skill === 'refrigeration') continue;
      if (!rosters[v].some((t) => t.real.skills.includes(skill))) {
        const rt = inHouse.find((t) => t.skills.includes(skill) && !t.records[v]);
        if (rt) rosters[v].push({ rec: techRecord(v, rt, tRng.fork(`${rt.key}:${v}`), undefined), real: rt });
      }
    }
  }
  for (const v of VENDOR_KEYS) vendors[v].technicians = rosters[v].map((t) => t.rec);
  for (const rt of [...inHouse, ...contractorTechs, ...fnProviders]) {
    const members = VENDOR_KEYS.filter((v) => rt.records[v]).map((v) => ({ vendor: v, id: rt.records[v]! }));
    truth.technicians.push({ key: rt.key, members });
  }

  // ---------------------------------------------------------------- customer, location and unit records
  const vRng = rng.fork('vendor-records');
  const locationRecord = new Map<string, string>(); // `${vendor}:${loc.key}` -> id
  const seraOfSt: Array<[RealCustomer, string]> = [];
  let asteaSite = 2000;

  for (const rc of realCustomers) {
    const r = vRng.fork(rc.key);
    for (const vendor of rc.vendors) {
      const id =
        vendor === 'servicetitan'
          ? ids.servicetitan('customer')
          : vendor === 'fieldnation'
            ? ids.fieldnation('client')
            : hexId(vendor === 'sera' ? 'cus' : vendor === 'astea' ? 'cust' : 'cst');
      rc.records[vendor] = id;
      const withEmail = rc.anchor === 'email' || r.chance(0.75);
      const withPhone = rc.anchor === 'phone' || r.chance(0.75);
      const created = Math.min(anchor - DAY, Math.max(rc.since + r.int(0, 60) * DAY, anchor - 2100 * DAY));
      const primary = rc.locations[0]!;
      const rec: GenCustomer = {
        id,
        name: nameVariant(r, rc),
        type: rc.type,
        ...(withEmail ? { email: emailVariant(r, rc.email) } : {}),
        ...(withPhone ? { phone: phoneVariant(r, rc.phone) } : {}),
        address: addressVariant(r, primary.address),
        externalRefs: [],
        tags: rc.type === 'commercial' ? ['Commercial'] : r.chance(0.3) ? [r.pick(['HVAC', 'Plumbing', 'Annual Service', 'VIP'])] : [],
        active: true,
        createdAt: iso(created),
        updatedAt: iso(Math.min(anchor, created + r.int(0, 400) * DAY)),
      };
      vendors[vendor].customers.push(rec);
      // Whether the customer is also in Sera is known once all its records exist (below).
      if (vendor === 'servicetitan') seraOfSt.push([rc, id]);

      // Locations: ServicePower holds only those its jobs use (added when a job needs one).
      if (vendor !== 'servicepower') {
        for (const loc of rc.locations) addLocation(vendor, rc, loc, r);
      }
      // Units: ServiceTitan installed equipment (most), Astea assets (all); ServicePower when a job needs one.
      for (const loc of rc.locations) {
        for (const unit of loc.units) {
          if (vendor === 'astea' || (vendor === 'servicetitan' && r.chance(0.85))) addUnit(vendor, rc, loc, unit, r);
        }
      }
    }
  }
  const stCustomerById = new Map(vendors.servicetitan.customers.map((c) => [c.id, c]));
  // Explicit references: about half the ServiceTitan customers also in Sera carry the Sera id.
  for (const [rc, stId] of seraOfSt) {
    if (rc.records.sera && vRng.fork(`xref:${rc.key}`).chance(0.5)) {
      const rec = stCustomerById.get(stId)!;
      rec.externalRefs.push({ vendor: 'sera', id: rc.records.sera! });
    }
  }

  function addLocation(vendor: VendorKey, rc: RealCustomer, loc: RealLocation, r: Rng): string {
    const existing = locationRecord.get(`${vendor}:${loc.key}`);
    if (existing) return existing;
    const id =
      vendor === 'servicetitan'
        ? ids.servicetitan('location')
        : vendor === 'fieldnation'
          ? ids.fieldnation('location')
          : vendor === 'astea'
            ? `site_${++asteaSite}`
            : hexId('loc');
    locationRecord.set(`${vendor}:${loc.key}`, id);
    loc.records[vendor] = id;
    const created = rc.since + r.int(0, 30) * DAY;
    vendors[vendor].locations.push({
      id,
      customerId: rc.records[vendor]!,
      name: rc.type === 'commercial' ? `${rc.name} - ${loc.address.city}` : `${rc.name} residence`,
      address: addressVariant(r, loc.address),
      ...(vendor === 'fieldnation' || rc.type === 'commercial'
        ? { contact: { name: rc.type === 'commercial' ? `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}` : rc.name, email: rc.email, phone: phoneVariant(r, rc.phone) } }
        : {}),
      active: true,
      createdAt: iso(Math.max(created, anchor - 2100 * DAY)),
      updatedAt: iso(Math.min(anchor, created + r.int(0, 300) * DAY)),
    });
    return id;
  }

  function addUnit(vendor: VendorKey, rc: RealCustomer, loc: RealLocation, unit: RealUnit, r: Rng): string {
    const existing = unit.records[vendor];
    if (existing) return existing;
    const id =
      vendor === 'servicetitan'
        ? ids.servicetitan('equipment')
        : vendor === 'astea'
          ? hexId('asset', units.length > 30_000 ? 6 : 4)
          : hexId('eq');
    unit.records[vendor] = id;
    const locationId = addLocation(vendor, rc, loc, r);
    const created = Math.max(unit.installedOn, anchor - 2100 * DAY);
    const rec: GenEquipment = {
      id,
      locationId,
      customerId: rc.records[vendor]!,
      name: `${unit.manufacturer} ${unit.type}`,
      type: unit.type,
      manufacturer: r.chance(0.2) ? unit.manufacturer.toUpperCase() : unit.manufacturer,
      model: unit.model,
      serialNumber: serialVariant(r, unit.serial),
      installedOn: day(unit.installedOn),
      ...(unit.warrantyEnd ? { warrantyStart: day(unit.installedOn), warrantyEnd: day(unit.warrantyEnd) } : {}),
      ...(unit.program && unit.warrantyEnd ? { warrantyProgram: unit.program } : {}),
      active: true,
      createdAt: iso(created),
      updatedAt: iso(Math.min(anchor, created + r.int(0, 200) * DAY)),
    };
    vendors[vendor].equipment.push(rec);
    return id;
  }

  // ---------------------------------------------------------------- work orders
  const wRng = rng.fork('work-orders');
  type Slot = { rc: RealCustomer; vendor: VendorKey };
  const records: Slot[] = [];
  for (const rc of realCustomers) for (const vendor of rc.vendors) records.push({ rc, vendor });
  const defaultTotal = records.reduce((s, x) => s + JOBS_PER_RECORD[x.vendor], 0);
  const total = options.workOrders ?? defaultTotal;
  // Every record gets at least one job when there are enough; the rest are spread by weight.
  const perRecord = new Array<number>(records.length).fill(0);
  let assigned = 0;
  if (total >= records.length) {
    perRecord.fill(1);
    assigned = records.length;
  }
  const cumulative: number[] = [];
  let acc = 0;
  for (const x of records) cumulative.push((acc += JOBS_PER_RECORD[x.vendor]));
  while (assigned < total) {
    const target = wRng.next() * acc;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    perRecord[lo]!++;
    assigned++;
  }

  const pools = new Map<string, { local: GenTechnician[]; all: GenTechnician[] }>();
  const unitByStId = new Map<string, RealUnit>();
  for (const u of units) if (u.records.servicetitan) unitByStId.set(u.records.servicetitan, u);
  const stJobsByCustomer = new Map<RealCustomer, GenWorkOrder[]>();
  const asteaJobsByCustomer = new Map<RealCustomer, GenWorkOrder[]>();
  const linked = new Set<string>();
  const techsBusy = new Map<string, Array<[number, number]>>();
  const order: VendorKey[] = ['servicetitan', 'astea', 'sera', 'servicepower', 'fieldnation'];
  const byVendor = new Map<VendorKey, number[]>();
  records.forEach((x, i) => {
    const list = byVendor.get(x.vendor) ?? [];
    list.push(i);
    byVendor.set(x.vendor, list);
  });

  for (const vendor of order) {
    for (const idx of byVendor.get(vendor) ?? []) {
      const { rc } = records[idx]!;
      for (let k = 0; k < perRecord[idx]!; k++) {
        createJob(vendor, rc, wRng.fork(`${vendor}:${rc.key}:${k}`));
      }
    }
  }

  /** A technician of `vendor` with the skill, preferably of the region, free for the window. */
  function pickTech(vendor: VendorKey, skill: string, region: string, start: number, end: number, r: Rng): GenTechnician | undefined {
    const poolKey = `${vendor}:${skill}:${region}`;
    let pool = pools.get(poolKey);
    if (!pool) {
      const roster = rosters[vendor];
      const skilled = roster.filter((t) => t.real.skills.includes(skill));
      const all = (skilled.length ? skilled : roster).map((t) => t.rec);
      pool = { local: all.filter((t) => t.region === region), all };
      pools.set(poolKey, pool);
    }
    const dayKey = Math.floor(start / DAY);
    for (const list of [pool.local, pool.all]) {
      const offset = list.length ? r.int(0, list.length - 1) : 0;
      for (let i = 0; i < list.length; i++) {
        const t = list[(offset + i) % list.length]!;
        const key = `${vendor}:${t.id}:${dayKey}`;
        const busy = techsBusy.get(key) ?? [];
        if (!busy.some(([s, e]) => s < end && start < e)) {
          busy.push([start, end]);
          techsBusy.set(key, busy);
          return t;
        }
      }
    }
    return undefined;
  }

  function createJob(vendor: VendorKey, rc: RealCustomer, r: Rng): void {
    const loc = r.pick(rc.locations);
    let unit: RealUnit | undefined = r.chance(0.75) ? r.pick(loc.units) : undefined;
    // A fifth of the jobs are from the last two weeks, so every system has an open backlog.
    const ageDays = r.next() < 0.2 ? r.int(0, 13) : r.int(0, 540);
    let created = anchor - ageDays * DAY - r.int(0, 23) * HOUR;
    let phase: Phase =
      ageDays < 3
        ? r.weighted<Phase>([['new', 4], ['scheduled', 4], ['dispatched', 2], ['in_progress', 1]])
        : ageDays < 14
          ? r.weighted<Phase>([['new', 1], ['scheduled', 3], ['dispatched', 2], ['in_progress', 2], ['on_hold', 1], ['completed', 3], ['cancelled', 1]])
          : r.weighted<Phase>([['completed', 17], ['cancelled', 2], ['on_hold', 1]]);
    let externalRef: string | undefined;
    let counterpart: GenWorkOrder | undefined;

    // A ServicePower warranty job raised from a ServiceTitan job on the same unit.
    if (vendor === 'servicepower') {
      const candidates = (stJobsByCustomer.get(rc) ?? []).filter((j) => !linked.has(j.id) && j.equipmentIds.length > 0);
      if (candidates.length > 0 && r.chance(0.45)) {
        counterpart = r.pick(candidates);
        const u = unitByStId.get(counterpart.equipmentIds[0]!);
        if (u) unit = u;
        externalRef = `ST-JOB-${counterpart.number}`;
      } else if (r.chance(0.3)) {
        externalRef = `PORTAL-${r.int(10000, 99999)}`;
      }
    }
    // A Field Nation job that serves an Astea work order (third-party technician).
    if (vendor === 'fieldnation') {
      const candidates = (asteaJobsByCustomer.get(rc) ?? []).filter((j) => !linked.has(j.id));
      if (candidates.length > 0 && r.chance(0.5)) counterpart = r.pick(candidates);
    }
    if (counterpart) {
      created = Date.parse(counterpart.createdAt) + r.int(1, 48) * HOUR;
      if (created > anchor) created = anchor - HOUR;
      phase = counterpart.status === 'Completed' || counterpart.status === 'completed' ? 'completed' : phase;
    }
    // ServicePower jobs are always about a unit (manufacturer warranty work).
    if (vendor === 'servicepower' && unit === undefined) unit = r.pick(loc.units);
    const warrantyCovered = unit?.warrantyEnd !== undefined && unit.warrantyEnd > created && unit.program !== undefined;

    const locationId = addLocation(vendor, rc, loc, r);
    const equipmentIds: string[] = [];
    if (unit && vendor !== 'sera' && vendor !== 'fieldnation') {
      const unitLoc = rc.locations.find((l) => l.units.includes(unit!)) ?? loc;
      equipmentIds.push(addUnit(vendor, rc, unitLoc, unit, r));
    }

    const skill = unit?.skill ?? r.pick(['hvac', 'plumbing', 'appliance']);
    const windowStart = startOfSlot(created + r.int(1, 9) * DAY, r);
    const windowEnd = windowStart + 4 * HOUR;
    const scheduled = phase !== 'new';
    const tech = scheduled && phase !== 'cancelled' ? pickTech(vendor, skill, loc.serviceRegion, windowStart, windowEnd, r) : undefined;
    const effectivePhase: Phase = scheduled && !tech && phase !== 'cancelled' && phase !== 'completed' ? 'new' : phase;
    const completedAt = effectivePhase === 'completed' ? Math.min(anchor - HOUR, windowStart + r.int(1, 5) * HOUR) : undefined;
    const problem = unit ? r.pick(unit.problems) : r.pick(['GENERAL_SERVICE', 'INSPECTION', 'ESTIMATE']);
    const serviceType = problem === 'NEW_APPLIANCE_INSTALL' ? 'installation' : r.weighted([['repair', 6], ['maintenance', 3], ['inspection', 1]] as const);
    const parts = r.chance(0.6)
      ? r.sample(PARTS.filter((p) => p.skill === skill), r.int(1, 2)).map((p) => ({
          partNumber: p.partNumber,
          description: p.description,
          quantity: r.int(1, 2),
          unitPrice: p.unitPrice,
        }))
      : [];
    const laborHours = r.int(1, 6) / 2;
    const laborCents = mulDiv(toCents(LABOR_RATE), laborHours * 2, 2);
    const partsCents = parts.reduce((s, p) => s + toCents(p.unitPrice) * p.quantity, 0);
    const priorityIndex = r.weighted<number>([[0, 2], [1, 6], [2, 3], [3, 1]]);
    const updated = Math.min(anchor, completedAt ?? (scheduled ? windowStart - r.int(1, 20) * HOUR : created + r.int(0, 5) * HOUR));

    const id =
      vendor === 'servicetitan' ? ids.servicetitan('job') : vendor === 'fieldnation' ? ids.fieldnation('workorder') : hexId('wo');
    const number =
      vendor === 'servicetitan'
        ? String(next('st:jobNumber', 10000))
        : vendor === 'astea'
          ? `WO-2026-${String(next('astea:number', 1000)).padStart(4, '0')}`
          : id;
    const providerId = vendor === 'servicepower' && tech ? tech.providerId : undefined;
    const wo: GenWorkOrder = {
      id,
      number,
      customerId: rc.records[vendor]!,
      locationId,
      equipmentIds,
      status: statusWord(vendor, effectivePhase, r),
      priority: priorityWord(vendor, priorityIndex),
      serviceType,
      problemCode: problem,
      summary: summaryOf(problem, unit),
      region: loc.serviceRegion,
      sla: { respondBy: iso(created + (priorityIndex >= 2 ? 4 : 24) * HOUR), completeBy: iso(created + (priorityIndex >= 2 ? 3 : 7) * DAY) },
      ...(scheduled ? { window: { start: iso(windowStart), end: iso(windowEnd) } } : {}),
      technicianIds: tech ? [tech.id] : [],
      ...(providerId ? { providerId } : {}),
      parts,
      links: [],
      ...(externalRef ? { externalRef } : {}),
      warranty: vendor === 'servicepower' ? warrantyCovered || r.chance(0.7) : warrantyCovered && r.chance(0.3),
      total: fromCents(laborCents + partsCents + mulDiv(partsCents, TAX_RATE_BP, 10_000)),
      createdAt: iso(created),
      updatedAt: iso(Math.max(created, updated)),
      ...(completedAt ? { completedAt: iso(completedAt) } : {}),
    };
    if (counterpart) {
      const a: GenRef = { vendor: counterpartVendor(vendor), id: counterpart.id };
      const b: GenRef = { vendor, id: wo.id };
      wo.links.push(a);
      counterpart.links.push(b);
      linked.add(counterpart.id);
      linked.add(wo.id);
      truth.workOrderLinks.push([a, b]);
    }
    vendors[vendor].workOrders.push(wo);
    if (vendor === 'servicetitan') {
      const list = stJobsByCustomer.get(rc) ?? [];
      list.push(wo);
      stJobsByCustomer.set(rc, list);
    }
    if (vendor === 'astea') {
      const list = asteaJobsByCustomer.get(rc) ?? [];
      list.push(wo);
      asteaJobsByCustomer.set(rc, list);
    }

    // Visits: one per scheduled job (ServiceTitan sometimes two); Field Nation keeps its schedule on
    // the job. A ServiceTitan job cannot exist without an appointment, so even a new one has its
    // first visit booked (without a technician).
    if ((scheduled || vendor === 'servicetitan') && vendor !== 'fieldnation') {
      const visits = vendor === 'servicetitan' && effectivePhase === 'completed' && r.chance(0.15) ? 2 : 1;
      for (let v = 0; v < visits; v++) {
        const start = windowStart + v * 2 * DAY;
        const last = v === visits - 1;
        const apptPhase: Phase = last ? effectivePhase : 'completed';
        const apptId = vendor === 'servicetitan' ? ids.servicetitan('appointment') : hexId(vendor === 'servicepower' ? 'disp' : vendor === 'astea' ? 'asn' : 'apt');
        const appt: GenAppointment = {
          id: apptId,
          workOrderId: wo.id,
          number: `${wo.number}-${v + 1}`,
          start: iso(start),
          end: iso(start + 4 * HOUR),
          arrivalWindowStart: iso(start),
          arrivalWindowEnd: iso(start + 2 * HOUR),
          status: appointmentWord(vendor, apptPhase === 'new' ? 'scheduled' : apptPhase),
          technicianIds: tech ? [tech.id] : [],
          ...(r.chance(0.3) ? { instructions: r.pick(['Gate code 1234.', 'Dog in the yard.', 'Call on arrival.', 'Use the side entrance.']) } : {}),
          createdAt: wo.createdAt,
          updatedAt: iso(Math.min(anchor, last ? Date.parse(wo.updatedAt) : start + 5 * HOUR)),
        };
        vendors[vendor].appointments.push(appt);
      }
    }

    // Invoices for completed jobs (ServiceTitan, Sera, Astea); claims for ServicePower warranty jobs.
    if (effectivePhase === 'completed' && (vendor === 'servicetitan' || vendor === 'sera' || vendor === 'astea')) {
      addInvoice(vendor, wo, laborHours, r);
    }
    if (effectivePhase === 'completed' && vendor === 'servicepower' && wo.warranty && r.chance(0.85)) {
      addClaim(wo, laborHours, r);
    }
  }

  function addInvoice(vendor: VendorKey, wo: GenWorkOrder, laborHours: number, r: Rng): void {
    const items: GenLineItem[] = [
      {
        code: 'LABOR',
        description: `Labor, ${laborHours} h`,
        quantity: laborHours.toFixed(2),
        unitPrice: LABOR_RATE,
        total: fromCents(mulDiv(toCents(LABOR_RATE), laborHours * 2, 2)),
      },
      ...wo.parts.map((p) => ({
        code: p.partNumber,
        description: p.description,
        quantity: p.quantity.toFixed(2),
        unitPrice: p.unitPrice,
        total: fromCents(toCents(p.unitPrice) * p.quantity),
      })),
    ];
    const subtotal = items.reduce((s, i) => s + toCents(i.total), 0);
    const partsCents = items.slice(1).reduce((s, i) => s + toCents(i.total), 0);
    const tax = mulDiv(partsCents, TAX_RATE_BP, 10_000);
    const totalCents = subtotal + tax;
    const paid = r.weighted<'all' | 'none' | 'part'>([['all', 15], ['none', 3], ['part', 2]]);
    const balance = paid === 'all' ? 0 : paid === 'none' ? totalCents : Math.floor(totalCents / 2);
    const issued = Date.parse(wo.completedAt!);
    const id = vendor === 'servicetitan' ? ids.servicetitan('invoice') : hexId('inv');
    const inv: GenInvoice = {
      id,
      number: vendor === 'servicetitan' ? wo.number : vendor === 'astea' ? `INV-2026-${String(next('astea:inv', 5000)).padStart(5, '0')}` : `S-${String(next('sera:inv', 20000))}`,
      workOrderId: wo.id,
      customerId: wo.customerId,
      locationId: wo.locationId,
      issuedOn: day(issued),
      dueOn: day(issued + 30 * DAY),
      items,
      subtotal: fromCents(subtotal),
      tax: fromCents(tax),
      total: fromCents(totalCents),
      balance: fromCents(balance),
      status:
        vendor === 'servicetitan'
          ? r.chance(0.7) ? 'Exported' : 'Posted'
          : balance === 0 ? 'paid' : 'open',
      createdAt: iso(issued),
      updatedAt: iso(Math.min(anchor, issued + (balance === 0 ? r.int(1, 20) * DAY : 0))),
    };
    vendors[vendor].invoices.push(inv);
  }

  function addClaim(wo: GenWorkOrder, laborHours: number, r: Rng): void {
    const minutes = laborHours * 60;
    const rate = LABOR_RATE;
    const parts = wo.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity, unitCost: p.unitPrice }));
    const miles = (r.int(30, 250) / 10).toFixed(1);
    const partsCents = parts.reduce((s, p) => s + toCents(p.unitCost) * p.quantity, 0);
    const taxes = mulDiv(partsCents, TAX_RATE_BP, 10_000);
    const laborCents = mulDiv(toCents(rate), minutes, 60);
    const created = Date.parse(wo.completedAt!) + r.int(1, 72) * HOUR;
    const status = r.weighted<string>([['paid', 8], ['approved', 4], ['under_review', 3], ['submitted', 2], ['rejected', 1]]);
    vendors.servicepower.claims.push({
      id: hexId('clm'),
      workOrderId: wo.id,
      claimType: 'warranty',
      referenceNumber: `CLAIM-2026-${String(next('sp:claim', 0)).padStart(5, '0')}`,
      status,
      labor: { minutes, rate },
      parts,
      travel: { miles, timeMinutes: r.int(10, 45) },
      taxes: fromCents(taxes),
      total: fromCents(laborCents + partsCents + travelCents(miles) + taxes),
      resolution: { code: r.pick(['REPAIRED', 'REPLACED_PART', 'ADJUSTED']), description: `Resolved ${wo.problemCode.toLowerCase().replace(/_/g, ' ')}` },
      createdAt: iso(Math.min(anchor, created)),
      updatedAt: iso(Math.min(anchor, created + r.int(0, 20) * DAY)),
    });
  }

  // ---------------------------------------------------------------- memberships
  const mRng = rng.fork('memberships');
  const firstLocationOf = new Map<string, string>();
  for (const vendor of ['servicetitan', 'sera'] as const) {
    for (const l of vendors[vendor].locations) if (!firstLocationOf.has(`${vendor}:${l.customerId}`)) firstLocationOf.set(`${vendor}:${l.customerId}`, l.id);
  }
  for (const vendor of ['servicetitan', 'sera'] as const) {
    const plans: ReadonlyArray<{ id: string; name: string; cadence: 'monthly' | 'quarterly' | 'annual'; price: string; visits: number }> =
      MEMBERSHIP_PLANS[vendor];
    for (const cust of vendors[vendor].customers) {
      const r = mRng.fork(`${vendor}:${cust.id}`);
      if (cust.type !== 'residential' || !r.chance(vendor === 'sera' ? 0.45 : 0.3)) continue;
      const plan = r.pick(plans);
      const from = anchor - r.int(10, 700) * DAY;
      const months = plan.cadence === 'monthly' ? 1 : plan.cadence === 'quarterly' ? 3 : 12;
      const statusIndex = r.weighted<number>([[0, 15], [1, 3], [2, 2]]);
      const status =
        vendor === 'servicetitan' ? (['Active', 'Expired', 'Canceled'] as const)[statusIndex]! : (['active', 'lapsed', 'cancelled'] as const)[statusIndex]!;
      const locationId = firstLocationOf.get(`${vendor}:${cust.id}`);
      let nextBill = from;
      while (nextBill <= anchor) nextBill = addMonths(nextBill, months);
      vendors[vendor].memberships.push({
        id: vendor === 'servicetitan' ? ids.servicetitan('membership') : hexId('mbr'),
        customerId: cust.id,
        ...(locationId ? { locationId } : {}),
        planId: plan.id,
        planName: plan.name,
        status,
        from: day(from),
        to: day(addMonths(from, 12)),
        billingCadence: plan.cadence,
        ...(statusIndex === 0 ? { nextBillingDate: day(nextBill) } : {}),
        includedVisits: plan.visits,
        price: plan.price,
        createdAt: iso(from),
        updatedAt: iso(Math.min(anchor, from + r.int(0, 200) * DAY)),
      });
    }
  }

  // ---------------------------------------------------------------- ground truth
  for (const rc of realCustomers) {
    truth.customers.push({ key: rc.key, members: VENDOR_KEYS.filter((v) => rc.records[v]).map((v) => ({ vendor: v, id: rc.records[v]! })) });
    if (rc.twinOf) {
      const a = firstRecord(rc.twinOf);
      const b = firstRecord(rc);
      if (a && b) truth.customerNearMisses.push([a, b]);
    }
  }
  for (const u of units) {
    const members = VENDOR_KEYS.filter((v) => u.records[v]).map((v) => ({ vendor: v, id: u.records[v]! }));
    if (members.length > 0) truth.equipment.push({ key: u.key, members } satisfies TruthCluster);
  }
  for (const [a, b] of nearMissUnits) {
    const ra = VENDOR_KEYS.find((v) => a.records[v]);
    const rb = VENDOR_KEYS.find((v) => b.records[v]);
    if (ra && rb) truth.equipmentNearMisses.push([{ vendor: ra, id: a.records[ra]! }, { vendor: rb, id: b.records[rb]! }]);
  }

  return { options: { ...options }, vendors, truth };
}

function firstRecord(rc: RealCustomer): GenRef | undefined {
  const v = VENDOR_KEYS.find((k) => rc.records[k]);
  return v ? { vendor: v, id: rc.records[v]! } : undefined;
}

function counterpartVendor(vendor: VendorKey): VendorKey {
  return vendor === 'servicepower' ? 'servicetitan' : 'astea';
}

const ST_BASE: Record<string, number> = {
  customer: 5_000_000_000,
  location: 5_100_000_000,
  equipment: 5_200_000_000,
  technician: 5_300_000_000,
  job: 5_400_000_000,
  appointment: 5_500_000_000,
  invoice: 5_600_000_000,
  membership: 5_700_000_000,
};

const FN_BASE: Record<string, number> = { client: 3000, location: 4000, user: 20_000, workorder: 100_000 };

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** A visit window start: 8:00, 12:00 or 13:00 Eastern (UTC-5, the business's standard time). */
function startOfSlot(ms: number, r: Rng): number {
  const d = new Date(ms);
  const base = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return base + (r.pick([8, 12, 13]) + 5) * HOUR;
}

function statusWord(vendor: VendorKey, phase: Phase, r: Rng): string {
  switch (vendor) {
    case 'servicetitan':
      return ({ new: 'Scheduled', scheduled: 'Scheduled', dispatched: 'Dispatched', in_progress: 'InProgress', on_hold: 'Hold', completed: 'Completed', cancelled: 'Canceled' } as const)[phase];
    case 'fieldnation':
      switch (phase) {
        case 'new':
          return 'Draft';
        case 'scheduled':
          return r.chance(0.5) ? 'Published' : 'Routed';
        case 'dispatched':
        case 'in_progress':
        case 'on_hold':
          return 'Assigned';
        case 'completed':
          return r.weighted([['Paid', 6], ['Approved', 2.5], ['Work Done', 1.5]] as const);
        case 'cancelled':
          return 'Cancelled';
      }
      break;
    case 'astea':
      return ({ new: 'open', scheduled: 'scheduled', dispatched: 'en_route', in_progress: 'on_site', on_hold: 'scheduled', completed: 'completed', cancelled: 'cancelled' } as const)[phase];
    case 'servicepower':
    case 'sera':
      return phase;
  }
  return phase;
}

function appointmentWord(vendor: VendorKey, phase: Phase): string {
  switch (vendor) {
    case 'servicetitan':
      return ({ new: 'Scheduled', scheduled: 'Scheduled', dispatched: 'Dispatched', in_progress: 'Working', on_hold: 'Hold', completed: 'Done', cancelled: 'Canceled' } as const)[phase];
    case 'servicepower':
      return ({ new: 'scheduled', scheduled: 'scheduled', dispatched: 'dispatched', in_progress: 'on_site', on_hold: 'scheduled', completed: 'completed', cancelled: 'cancelled' } as const)[phase];
    case 'astea':
      return ({ new: 'scheduled', scheduled: 'scheduled', dispatched: 'en_route', in_progress: 'on_site', on_hold: 'scheduled', completed: 'completed', cancelled: 'cancelled' } as const)[phase];
    default:
      return phase;
  }
}

function priorityWord(vendor: VendorKey, index: number): string {
  const words: Record<VendorKey, readonly string[]> = {
    servicetitan: ['Low', 'Normal', 'High', 'Urgent'],
    servicepower: ['low', 'normal', 'high', 'emergency'],
    sera: ['low', 'normal', 'high', 'emergency'],
    astea: ['low', 'medium', 'high', 'critical'],
    // Field Nation work orders have no priority field; the word is kept for completeness.
    fieldnation: ['low', 'normal', 'high', 'urgent'],
  };
  return words[vendor][index]!;
}

function summaryOf(problem: string, unit: RealUnit | undefined): string {
  const what = problem.toLowerCase().replace(/_/g, ' ');
  return unit ? `${unit.type}: ${what} (${unit.manufacturer} ${unit.model})` : `${what[0]!.toUpperCase()}${what.slice(1)}`;
}

// ---------------------------------------------------------------- spelling variants

/** The name as typed into one system: case, order and spacing vary. */
function nameVariant(r: Rng, rc: RealCustomer): string {
  const v = r.int(0, 9);
  if (rc.type === 'commercial') {
    if (v <= 5) return rc.name;
    if (v <= 7) return rc.name.toUpperCase().replace(/ (LLC|INC|CO|GROUP)$/, ', $1');
    return rc.name.replace(/ (LLC|Inc|Co|Group)$/, '');
  }
  if (v <= 4) return rc.name;
  if (v === 5) return rc.name.toUpperCase();
  if (v === 6) return rc.name.toLowerCase();
  if (v === 7) return `${rc.last}, ${rc.first}`;
  if (v === 8) return `${rc.first}  ${rc.last}`;
  return ` ${rc.name}`;
}

/** The email as typed into one system: case and surrounding spaces vary. */
function emailVariant(r: Rng, email: string): string {
  const v = r.int(0, 9);
  if (v <= 5) return email;
  if (v <= 7) {
    const [local, domain] = email.split('@') as [string, string];
    return `${local.replace(/(^|\.)([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase())}@${domain[0]!.toUpperCase()}${domain.slice(1)}`;
  }
  if (v === 8) return email.toUpperCase();
  return ` ${email} `;
}

/** The phone as typed into one system. `digits` is a 10-digit NANP number. */
function phoneVariant(r: Rng, digits: string): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  return r.pick([`+1-${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `${a}.${b}.${c}`, `${a}-${b}-${c}`, `+1${digits}`, `1 ${a} ${b} ${c}`, digits]);
}

/** The address as typed into one system: street suffix spelled out or not, case, ZIP+4. */
function addressVariant(r: Rng, a: RealAddress): GenAddress {
  const [street, short, long, dir] = a.street;
  const suffix = r.chance(0.6) ? short : long;
  let line1 = `${a.number} ${street} ${suffix}${dir ? ` ${dir}` : ''}`;
  if (r.chance(0.1)) line1 = line1.toUpperCase();
  return {
    line1,
    ...(a.unit ? { line2: r.chance(0.5) ? `Apt ${a.unit}` : `#${a.unit}` } : {}),
    city: r.chance(0.1) ? a.city.toUpperCase() : a.city,
    region: a.region,
    postalCode: r.chance(0.2) ? `${a.zip}-${a.plus4}` : a.zip,
    country: 'US',
    latitude: Math.round(a.lat * 1e6) / 1e6,
    longitude: Math.round(a.lng * 1e6) / 1e6,
  };
}

/** The serial as written on one system's record: case, dashes and spaces vary. */
function serialVariant(r: Rng, serial: string): string {
  const head = serial.slice(0, 2);
  const mid = serial.slice(2, -1);
  const tail = serial.slice(-1);
  return r.pick([serial, `${head}-${mid}-${tail}`, serial.toLowerCase(), `${head} ${mid} ${tail}`, `${head}-${mid}${tail}`]);
}
