/**
 * FieldGraph configuration: parsed once, with zod, from the environment and an optional JSON file
 * (`FIELDGRAPH_CONFIG=path/to/config.json`; environment variables win over the file). Nothing else
 * in the code base reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONNECTORS } from '../connectors/registry.js';
import { FaultsPatchSchema } from '../connectors/sandbox/faults.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import { LOG_LEVELS } from './observability/log.js';
import { ENTITY_KINDS, PRIORITIES, type EntityKind } from './model/index.js';
import { API_KEY_SHAPE, ApiKeyEntrySchema, JwtSettingsSchema } from './auth/credentials.js';
import { DEFAULT_COST_WEIGHTS } from './limits/cost.js';
import { DEFAULT_INTROSPECTION_LIMITS } from './limits/introspection.js';
import { DEFAULT_TENANT, TENANT_NAME } from './ids.js';
import { DEFAULT_SYSTEM_ORDER } from './identity/graph.js';

const intFromEnv = (def: number) => z.coerce.number().int().min(0).default(def);

/** The sandbox section: where the simulators listen and what data and faults they start with. */
export const SandboxConfigSchema = z.object({
  /** Port of the sandbox on 127.0.0.1 (`SANDBOX_PORT`, default 4010; 0 picks a free one). */
  port: intFromEnv(4010),
  /** Host the sandbox binds; loopback only unless changed on purpose (`SANDBOX_HOST`). */
  host: z.string().default('127.0.0.1'),
  /** Data-set seed (`SANDBOX_SEED`). */
  seed: intFromEnv(42),
  /** Real-world customers of the generated business (`SANDBOX_CUSTOMERS`). */
  customers: z.coerce.number().int().min(1).max(200_000).default(320),
  /** Total work orders across the vendors (`SANDBOX_WORK_ORDERS`); default about 3 per customer record. */
  workOrders: z.coerce.number().int().min(1).max(2_000_000).optional(),
  /** Faults at start, as for `PUT /_sandbox/faults` (`SANDBOX_FAULTS`, JSON). */
  faults: FaultsPatchSchema.default({}),
  /** TOTP secret (base32) of the session vendors' MFA (`SANDBOX_TOTP_SECRET`); random when absent. */
  totpSecret: z.string().regex(/^[A-Z2-7]+=*$/i).optional(),
});

/** The GraphQL gateway: where it listens and what it exposes. */
export const ServerConfigSchema = z.object({
  /** Port on `host` (`PORT`, default 4000; 0 picks a free one). */
  port: intFromEnv(4000),
  /** Host the gateway binds; loopback only unless changed on purpose (`FIELDGRAPH_HOST`). */
  host: z.string().default('127.0.0.1'),
  /** Answer introspection queries (`FIELDGRAPH_INTROSPECTION`, default true: the IDE needs it). */
  introspection: z.union([z.boolean(), z.stringbool()]).default(true),
  /** Log level of the JSON logs on stdout (`LOG_LEVEL`: fatal, error, warn, info (default), debug, trace, silent). */
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are closed, in ms (`FIELDGRAPH_DRAIN_TIMEOUT_MS`, default 10 s). */
  drainTimeoutMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

/**
 * The key-value store of what must survive restarts and be shared by instances (idempotency
 * records now; the cross-vendor link index and the shared cache later): Redis when `redisUrl` is
 * set, otherwise a file-backed store in `dataDir` (the embedded default).
 */
export const StoreConfigSchema = z.object({
  /** Redis URL, e.g. `redis://127.0.0.1:6379` (`REDIS_URL`); absent: the file-backed store. */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
  /** Directory of the file-backed store, relative to the working directory (`FIELDGRAPH_DATA_DIR`, default `.fieldgraph`). */
  dataDir: z.string().min(1).default('.fieldgraph'),
  /** Hours an idempotency key is kept after its last change (`FIELDGRAPH_IDEMPOTENCY_TTL_HOURS`; at least 24, the default). */
  idempotencyTtlHours: z.coerce.number().min(24).max(24 * 90).default(24),
  /**
   * Seconds a request holds an idempotency key while it writes (renewed while it runs); when the
   * process dies, another request may take the key over after this long (default 60).
   */
  leaseSeconds: z.coerce.number().int().min(5).max(3600).default(60),
  /** Seconds a duplicate request waits for the first one's result before answering `IDEMPOTENCY_KEY_IN_USE` (default 30). */
  waitSeconds: z.coerce.number().min(0).max(600).default(30),
});

/** A routing rule of `createWorkOrder`: work orders that match every condition go to `system`. */
export const RoutingRuleSchema = z
  .object({
    /** A name for logs and documentation. */
    name: z.string().min(1),
    /** Where matching work orders go. */
    system: z.enum(VENDOR_KEYS),
    /** Conditions, all of which must hold (a rule without conditions matches everything). */
    when: z
      .object({
        /**
         * The unit is covered by a manufacturer's warranty program: any program, or one of
         * `programs` (compared without case).
         */
        warranty: z.object({ programs: z.array(z.string().min(1)).optional() }).strict().optional(),
        /** The service type is one of these (compared without case). */
        serviceTypes: z.array(z.string().min(1)).optional(),
        /** The priority is one of these. */
        priorities: z.array(z.enum(PRIORITIES)).optional(),
        /** The service location lies in one of these regions (see `regions`). */
        regions: z.array(z.string().min(1)).optional(),
        /**
         * Overflow: the primary system has no technician with the skill, in the region, free for
         * the requested window (only checked when a window is requested).
         */
        overflow: z.literal(true).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** One regional field-service business in the Atlanta metro area: the sandbox's service regions by ZIP code. */
const SANDBOX_REGIONS: Record<string, string[]> = {
  'ATL-C': ['30303', '30305', '30306', '30308', '30309', '30312', '30318', '30324'],
  'ATL-E': ['30030', '30032', '30033', '30096', '30097', '30043', '30044', '30045', '30084', '30071', '30092'],
  'ATL-W': ['30060', '30062', '30064', '30066', '30080', '30082', '30144', '30152'],
  'ATL-N': ['30075', '30076', '30004', '30005', '30009', '30328', '30350', '30338'],
  'ATL-S': ['30344', '30269'],
};

/** The skill each kind of unit needs (the sandbox business's trades). */
const SANDBOX_SKILL_BY_EQUIPMENT_TYPE: Record<string, string> = {
  Furnace: 'hvac',
  'Air Conditioner': 'hvac',
  'Rooftop Unit': 'hvac',
  'Water Heater': 'plumbing',
  Refrigerator: 'appliance',
  Dishwasher: 'appliance',
  Chiller: 'refrigeration',
  'Walk-in Cooler': 'refrigeration',
};

/**
 * Where `createWorkOrder` sends a work order when the input names no target system, and what the
 * dispatch checks know about the business: its service regions and the skill each kind of work
 * needs. The defaults describe the sandbox's business.
 */
export const RoutingConfigSchema = z
  .object({
    /** The system work orders go to when no rule matches (default ServiceTitan). */
    primary: z.enum(VENDOR_KEYS).default('servicetitan'),
    /**
     * Rules tried in order; the first that matches decides. Default: units under a manufacturer
     * warranty program go to ServicePower, overflow goes to Field Nation.
     */
    rules: z.array(RoutingRuleSchema).default([
      { name: 'manufacturer-warranty', system: 'servicepower', when: { warranty: {} } },
      { name: 'overflow', system: 'fieldnation', when: { overflow: true } },
    ]),
    /**
     * When no rule matches and the work order is for an existing customer of a system that takes
     * work orders, create it there rather than copying the customer into the primary system
     * (default true; false: always the primary system).
     */
    preferCustomerSystem: z.boolean().default(true),
    /** Service regions (the codes technicians carry, e.g. `ATL-N`) by the five-digit ZIP codes they cover. */
    regions: z.record(z.string().min(1), z.array(z.string().regex(/^\d{5}$/))).default(SANDBOX_REGIONS),
    /** The skill a technician needs for a work order, from its unit's type; a unit type not listed needs no particular skill. */
    skillByEquipmentType: z.record(z.string().min(1), z.string().min(1)).default(SANDBOX_SKILL_BY_EQUIPMENT_TYPE),
  })
  .strict();

/**
 * Vendor references and business settings per system, passed to its connector as
 * `options.settings` (each connector's README lists the keys it reads) and read by the mutations.
 * References a vendor API can look up are resolved by the connector at first use (ServiceTitan job
 * type by service type name, business unit, campaign); the rest are configured here.
 */
export const VendorSettingsSchema = z.partialRecord(z.enum(VENDOR_KEYS), z.record(z.string().min(1), z.string()));

/**
 * The sandbox's vendor settings, merged under the configured ones in sandbox mode. The sandbox
 * business is an HVAC company first: Field Nation needs a type of work (looked up by name through
 * `GET /types-of-work`) and a pay to publish a work order (a flat 150.00 per job); Sera builds its
 * job type from a trade and a kind (`hvac` + `repair` = `hvac_service`; the skill a unit needs wins
 * over this default); ServicePower pays travel at 6.5 cents a mile (its claim endpoint's documented
 * rate), which the claim totals use.
 */
export const SANDBOX_VENDOR_SETTINGS: z.infer<typeof VendorSettingsSchema> = {
  fieldnation: { typeOfWork: 'HVAC', payAmount: '150.00', payType: 'fixed' },
  sera: { trade: 'hvac' },
  servicepower: { travelRatePerMile: '0.065' },
};

/**
 * Who may call: API keys (hashed) and JWTs. In sandbox mode `npm start` also makes a development
 * key (admin of the default tenant) and prints it; `FIELDGRAPH_ADMIN_KEY` sets an admin key for
 * automation in any mode.
 */
export const AuthConfigSchema = z
  .object({
    /** API keys by hash, with the tenant and roles each grants (`FIELDGRAPH_API_KEYS`, JSON array; `npm run key` prints an entry). */
    apiKeys: z.array(ApiKeyEntrySchema).default([]),
    /** An admin key of the default tenant, as the key itself (`FIELDGRAPH_ADMIN_KEY`, 24 to 200 characters of A-Z a-z 0-9 _ -). Hashed at start. */
    adminKey: z.string().regex(API_KEY_SHAPE, '24 to 200 characters of A-Z a-z 0-9 _ -').optional(),
    /** JWT verification for people (`FIELDGRAPH_JWT_JWKS` or `FIELDGRAPH_JWT_JWKS_FILE`, `FIELDGRAPH_JWT_ISSUER`, `FIELDGRAPH_JWT_AUDIENCE`). */
    jwt: JwtSettingsSchema.optional(),
    /** Sandbox mode: make and print a development key at start (`FIELDGRAPH_DEV_KEY=false` turns it off; default true). */
    devKey: z.union([z.boolean(), z.stringbool()]).default(true),
  })
  .strict();

/**
 * The shared cache of vendor records (keyv: in memory by default, Redis when `REDIS_URL` is set),
 * namespaced per tenant and model version. Only records are cached, which are the same for every
 * principal of a tenant; authorization is applied after it.
 */
export const CacheConfigSchema = z
  .object({
    /** On by default (`FIELDGRAPH_CACHE=false` turns it off). */
    enabled: z.union([z.boolean(), z.stringbool()]).default(true),
    /** Seconds each kind of record is kept, over the defaults (`FIELDGRAPH_CACHE_TTLS`, JSON, e.g. `{"technician": 600}`; 0 does not cache the kind). */
    ttlSeconds: z.partialRecord(z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]]), z.number().int().min(0).max(86_400)).default({}),
  })
  .strict();

/**
 * Limits applied to every GraphQL request before anything executes (`src/limits/`; README,
 * "Limits"). Refusals are coded errors and make no vendor call.
 */
export const LimitsConfigSchema = z
  .object({
    /** Deepest field nesting, fragments not counted as a level (`FIELDGRAPH_MAX_DEPTH`, default 10). */
    maxDepth: z.coerce.number().int().min(1).max(100).default(10),
    /** Most aliases in an operation (`FIELDGRAPH_MAX_ALIASES`, default 15). */
    maxAliases: z.coerce.number().int().min(0).max(10_000).default(15),
    /** Most lexical tokens in a document (`FIELDGRAPH_MAX_TOKENS`, default 2000). */
    maxTokens: z.coerce.number().int().min(1).max(1_000_000).default(2000),
    /** Most directives in an operation (`FIELDGRAPH_MAX_DIRECTIVES`, default 50). */
    maxDirectives: z.coerce.number().int().min(0).max(10_000).default(50),
    /** Most requested cost of one operation, in points (`FIELDGRAPH_MAX_COST`, default 100,000: the job graph of 100 work orders; see README for how it is counted). */
    maxCost: z.coerce.number().int().min(1).default(100_000),
    /** Largest request body in bytes (`FIELDGRAPH_MAX_BODY_BYTES`, default 1 MiB). */
    maxBodyBytes: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
    /** Largest `variables`, in bytes of JSON (`FIELDGRAPH_MAX_VARIABLES_BYTES`, default 64 KiB). */
    maxVariablesBytes: z.coerce.number().int().min(0).default(64 * 1024),
    /** How the cost is counted (config file only): per object, per scalar, per mutation, assumed list and page sizes, weights by type name. */
    cost: z
      .object({
        objectCost: z.number().min(0).default(DEFAULT_COST_WEIGHTS.objectCost),
        scalarCost: z.number().min(0).default(DEFAULT_COST_WEIGHTS.scalarCost),
        mutationCost: z.number().min(0).default(DEFAULT_COST_WEIGHTS.mutationCost),
        defaultListSize: z.number().int().min(0).default(DEFAULT_COST_WEIGHTS.defaultListSize),
        defaultPageSize: z.number().int().min(0).default(DEFAULT_COST_WEIGHTS.defaultPageSize),
        typeWeights: z.record(z.string(), z.number().min(0)).default({}),
      })
      .strict()
      .prefault({}),
    /** Introspection limits (config file only): `__schema` and `__type` per operation, nesting of its lists and of `ofType`. */
    introspection: z
      .object({
        maxSchemaFields: z.number().int().min(0).default(DEFAULT_INTROSPECTION_LIMITS.maxSchemaFields),
        maxTypeFields: z.number().int().min(0).default(DEFAULT_INTROSPECTION_LIMITS.maxTypeFields),
        maxListDepth: z.number().int().min(0).default(DEFAULT_INTROSPECTION_LIMITS.maxListDepth),
        maxOfTypeDepth: z.number().int().min(0).default(DEFAULT_INTROSPECTION_LIMITS.maxOfTypeDepth),
      })
      .strict()
      .prefault({}),
    /**
     * The cost budget of each principal, a bucket that refills (shared through Redis when
     * `REDIS_URL` is set, else per process): points it holds (`FIELDGRAPH_COST_BUDGET`, default
     * 200,000; 0 turns the budget off) and points restored per second (`FIELDGRAPH_COST_RESTORE_RATE`,
     * default 10,000: empty to full in 20 s, as Shopify's 1,000 at 50 a second).
     */
    budget: z
      .object({
        maximumAvailable: z.coerce.number().int().min(0).default(200_000),
        restoreRate: z.coerce.number().positive().default(10_000),
      })
      .strict()
      .prefault({}),
    /** Safelist mode: the persisted-documents manifest codegen writes; only its operations run (`FIELDGRAPH_SAFELIST`, a path; absent: off). */
    safelist: z.string().min(1).optional(),
  })
  .strict();

/**
 * Cross-vendor identity (`src/identity/`): one Customer and one Equipment node per real-world
 * entity, from the link index in the key-value store (Redis with `REDIS_URL`, shared by every
 * instance; else the data directory).
 */
export const IdentityConfigSchema = z
  .object({
    /** On by default (`FIELDGRAPH_IDENTITY=false`: every record is its own node). */
    enabled: z.union([z.boolean(), z.stringbool()]).default(true),
    /** System order of scalar precedence on unified nodes (`FIELDGRAPH_IDENTITY_ORDER`, comma-separated; then the most recently updated). */
    systemOrder: z.array(z.enum(VENDOR_KEYS)).min(1).default([...DEFAULT_SYSTEM_ORDER]),
    /**
     * Seconds between incremental refreshes of the index by the gateway, reading what changed since
     * the last one (`FIELDGRAPH_IDENTITY_REFRESH_SECONDS`; 0: never, leave it to `npm run sync`).
     * Default 300; in sandbox mode the first refresh runs at start and builds the index.
     */
    refreshSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
  })
  .strict();

export const ConfigSchema = z.object({
  /**
   * `sandbox` (default): the embedded simulators serve every vendor and the connections come from
   * them. `live`: only the vendors configured under `vendors` are used, with real credentials.
   */
  mode: z.enum(['sandbox', 'live']).default('sandbox'),
  sandbox: SandboxConfigSchema.default(SandboxConfigSchema.parse({})),
  server: ServerConfigSchema.default(ServerConfigSchema.parse({})),
  /**
   * Vendor connections (base URLs and credentials) by vendor key, each checked against its
   * connector's schema (`FIELDGRAPH_VENDORS`, JSON, or the config file).
   */
  vendors: z.partialRecord(z.enum(VENDOR_KEYS), z.unknown()).default({}),
  /**
   * Further tenants: each its own vendor connections, by tenant name (`FIELDGRAPH_TENANTS`, JSON).
   * `vendors` (or the sandbox) are the connections of the tenant `default`.
   */
  tenants: z.record(z.string().regex(TENANT_NAME), z.partialRecord(z.enum(VENDOR_KEYS), z.unknown())).default({}),
  /** Authentication. */
  auth: AuthConfigSchema.default(AuthConfigSchema.parse({})),
  /** The shared cache. */
  cache: CacheConfigSchema.default(CacheConfigSchema.parse({})),
  /** Cross-vendor identity. */
  identity: IdentityConfigSchema.default(IdentityConfigSchema.parse({})),
  /**
   * Shared secrets of vendor webhook subscriptions, by tenant and vendor (`FIELDGRAPH_WEBHOOK_SECRETS`,
   * JSON, e.g. `{"default": {"fieldnation": "…"}}`): deliveries to `POST /webhooks/<tenant>/<vendor>`
   * drop the records they name from the shared cache.
   */
  webhooks: z.record(z.string().regex(TENANT_NAME), z.partialRecord(z.enum(VENDOR_KEYS), z.string().min(16))).default({}),
  /** Limits before execution: depth, aliases, tokens, directives, cost, the cost budget, safelist mode. */
  limits: LimitsConfigSchema.default(LimitsConfigSchema.parse({})),
  /** The key-value store (idempotency records). */
  store: StoreConfigSchema.default(StoreConfigSchema.parse({})),
  /** Routing of `createWorkOrder` and what the dispatch checks know (`FIELDGRAPH_ROUTING`, JSON, or the config file). */
  routing: RoutingConfigSchema.default(RoutingConfigSchema.parse({})),
  /** Vendor references and business settings per system (`FIELDGRAPH_VENDOR_SETTINGS`, JSON, or the config file). */
  vendorSettings: VendorSettingsSchema.default({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
/** The store section of {@link Config}. */
export type StoreConfig = z.infer<typeof StoreConfigSchema>;
/** The routing section of {@link Config}. */
export type RoutingConfig = z.infer<typeof RoutingConfigSchema>;
/** The vendor settings section of {@link Config}. */
export type VendorSettings = z.infer<typeof VendorSettingsSchema>;
/** The auth section of {@link Config}. */
export type AuthConfig = z.infer<typeof AuthConfigSchema>;
/** The identity section of {@link Config}. */
export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;
/** The cache section of {@link Config}. */
export type CacheConfig = z.infer<typeof CacheConfigSchema>;
/** The limits section of {@link Config}. */
export type LimitsConfig = z.infer<typeof LimitsConfigSchema>;
/** The gateway section of {@link Config}. */
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

function json(name: string, value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/**
 * Parses the configuration from `env` (default `process.env`). Throws an Error listing every
 * invalid setting.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.FIELDGRAPH_CONFIG ? (JSON.parse(readFileSync(env.FIELDGRAPH_CONFIG, 'utf8')) as Record<string, unknown>) : {};
  const fileSandbox = (file.sandbox ?? {}) as Record<string, unknown>;
  const fileServer = (file.server ?? {}) as Record<string, unknown>;
  const fileStore = (file.store ?? {}) as Record<string, unknown>;
  const raw = {
    ...file,
    ...defined({
      mode: env.FIELDGRAPH_MODE,
      vendors: json('FIELDGRAPH_VENDORS', env.FIELDGRAPH_VENDORS),
      routing: json('FIELDGRAPH_ROUTING', env.FIELDGRAPH_ROUTING),
      vendorSettings: json('FIELDGRAPH_VENDOR_SETTINGS', env.FIELDGRAPH_VENDOR_SETTINGS),
      tenants: json('FIELDGRAPH_TENANTS', env.FIELDGRAPH_TENANTS),
      webhooks: json('FIELDGRAPH_WEBHOOK_SECRETS', env.FIELDGRAPH_WEBHOOK_SECRETS),
    }),
    auth: {
      ...((file.auth ?? {}) as Record<string, unknown>),
      ...defined({
        apiKeys: json('FIELDGRAPH_API_KEYS', env.FIELDGRAPH_API_KEYS),
        adminKey: env.FIELDGRAPH_ADMIN_KEY,
        devKey: env.FIELDGRAPH_DEV_KEY,
      }),
      ...(env.FIELDGRAPH_JWT_ISSUER || env.FIELDGRAPH_JWT_JWKS || env.FIELDGRAPH_JWT_JWKS_FILE
        ? {
            jwt: {
              ...(((file.auth ?? {}) as Record<string, unknown>).jwt as Record<string, unknown> | undefined),
              ...defined({
                jwks: json('FIELDGRAPH_JWT_JWKS', env.FIELDGRAPH_JWT_JWKS),
                jwksFile: env.FIELDGRAPH_JWT_JWKS_FILE,
                issuer: env.FIELDGRAPH_JWT_ISSUER,
                audience: env.FIELDGRAPH_JWT_AUDIENCE,
              }),
            },
          }
        : {}),
    },
    identity: {
      ...((file.identity ?? {}) as Record<string, unknown>),
      ...defined({
        enabled: env.FIELDGRAPH_IDENTITY,
        systemOrder: env.FIELDGRAPH_IDENTITY_ORDER ? env.FIELDGRAPH_IDENTITY_ORDER.split(',').map((v) => v.trim()) : undefined,
        refreshSeconds: env.FIELDGRAPH_IDENTITY_REFRESH_SECONDS,
      }),
    },
    cache: {
      ...((file.cache ?? {}) as Record<string, unknown>),
      ...defined({ enabled: env.FIELDGRAPH_CACHE, ttlSeconds: json('FIELDGRAPH_CACHE_TTLS', env.FIELDGRAPH_CACHE_TTLS) }),
    },
    limits: {
      ...((file.limits ?? {}) as Record<string, unknown>),
      ...defined({
        maxDepth: env.FIELDGRAPH_MAX_DEPTH,
        maxAliases: env.FIELDGRAPH_MAX_ALIASES,
        maxTokens: env.FIELDGRAPH_MAX_TOKENS,
        maxDirectives: env.FIELDGRAPH_MAX_DIRECTIVES,
        maxCost: env.FIELDGRAPH_MAX_COST,
        maxBodyBytes: env.FIELDGRAPH_MAX_BODY_BYTES,
        maxVariablesBytes: env.FIELDGRAPH_MAX_VARIABLES_BYTES,
        safelist: env.FIELDGRAPH_SAFELIST,
      }),
      budget: {
        ...((((file.limits ?? {}) as Record<string, unknown>).budget ?? {}) as Record<string, unknown>),
        ...defined({ maximumAvailable: env.FIELDGRAPH_COST_BUDGET, restoreRate: env.FIELDGRAPH_COST_RESTORE_RATE }),
      },
    },
    store: {
      ...fileStore,
      ...defined({
        redisUrl: env.REDIS_URL,
        dataDir: env.FIELDGRAPH_DATA_DIR,
        idempotencyTtlHours: env.FIELDGRAPH_IDEMPOTENCY_TTL_HOURS,
      }),
    },
    server: {
      ...fileServer,
      ...defined({
        port: env.PORT,
        host: env.FIELDGRAPH_HOST,
        introspection: env.FIELDGRAPH_INTROSPECTION,
        logLevel: env.LOG_LEVEL,
        drainTimeoutMs: env.FIELDGRAPH_DRAIN_TIMEOUT_MS,
      }),
    },
    sandbox: {
      ...fileSandbox,
      ...defined({
        port: env.SANDBOX_PORT,
        host: env.SANDBOX_HOST,
        seed: env.SANDBOX_SEED,
        customers: env.SANDBOX_CUSTOMERS,
        workOrders: env.SANDBOX_WORK_ORDERS,
        faults: json('SANDBOX_FAULTS', env.SANDBOX_FAULTS),
        totpSecret: env.SANDBOX_TOTP_SECRET,
      }),
    },
  };
  const parsed = ConfigSchema.safeParse(raw);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  if (parsed.success) {
    // Each vendor connection is checked by its own connector's schema.
    for (const [vendor, connection] of Object.entries(parsed.data.vendors) as Array<[VendorKey, unknown]>) {
      const r = CONNECTORS[vendor].schema.safeParse(connection);
      if (!r.success) issues.push(...r.error.issues.map((i) => `  vendors.${vendor}.${i.path.join('.')}: ${i.message}`));
      else parsed.data.vendors[vendor] = r.data;
    }
    for (const [tenant, vendors] of Object.entries(parsed.data.tenants)) {
      if (tenant === DEFAULT_TENANT) issues.push(`  tenants.${tenant}: the default tenant's connections are \`vendors\``);
      for (const [vendor, connection] of Object.entries(vendors) as Array<[VendorKey, unknown]>) {
        const r = CONNECTORS[vendor].schema.safeParse(connection);
        if (!r.success) issues.push(...r.error.issues.map((i) => `  tenants.${tenant}.${vendor}.${i.path.join('.')}: ${i.message}`));
        else vendors[vendor] = r.data;
      }
    }
    if (parsed.data.mode === 'sandbox') {
      // The sandbox's settings sit under the configured ones, key by key.
      for (const [vendor, settings] of Object.entries(SANDBOX_VENDOR_SETTINGS) as Array<[VendorKey, Record<string, string>]>) {
        parsed.data.vendorSettings[vendor] = { ...settings, ...(parsed.data.vendorSettings[vendor] ?? {}) };
      }
    }
    for (const [i, rule] of parsed.data.routing.rules.entries()) {
      for (const region of rule.when.regions ?? []) {
        if (!(region in parsed.data.routing.regions)) issues.push(`  routing.rules.${i}.when.regions: unknown region ${region}`);
      }
    }
    if (parsed.data.mode === 'live' && Object.keys(parsed.data.vendors).length === 0) {
      issues.push('  vendors: live mode needs at least one vendor connection');
    }
  }
  if (!parsed.success || issues.length > 0) throw new Error(`Invalid configuration:\n${issues.join('\n')}`);
  return parsed.data;
}
