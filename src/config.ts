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
});

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
});

export type Config = z.infer<typeof ConfigSchema>;
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
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
  const raw = {
    ...file,
    ...defined({ mode: env.FIELDGRAPH_MODE, vendors: json('FIELDGRAPH_VENDORS', env.FIELDGRAPH_VENDORS) }),
    server: {
      ...fileServer,
      ...defined({ port: env.PORT, host: env.FIELDGRAPH_HOST, introspection: env.FIELDGRAPH_INTROSPECTION }),
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
    if (parsed.data.mode === 'live' && Object.keys(parsed.data.vendors).length === 0) {
      issues.push('  vendors: live mode needs at least one vendor connection');
    }
  }
  if (!parsed.success || issues.length > 0) throw new Error(`Invalid configuration:\n${issues.join('\n')}`);
  return parsed.data;
}
