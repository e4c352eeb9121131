/**
 * FieldGraph configuration: parsed once, with zod, from the environment and an optional JSON file
 * (`FIELDGRAPH_CONFIG=path/to/config.json`; environment variables win over the file). Nothing else
 * in the code base reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FaultsPatchSchema } from '../connectors/sandbox/faults.js';

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

export const ConfigSchema = z.object({
  sandbox: SandboxConfigSchema.default(SandboxConfigSchema.parse({})),
});

export type Config = z.infer<typeof ConfigSchema>;
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;

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
  const raw = {
    ...file,
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
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
