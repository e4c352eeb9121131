/**
 * What the scenarios share during one run: the mode, the stated vendor latency, the default
 * sandbox (started on first use), the gateway processes (started on first use, closed at the end)
 * and the notes of the run.
 */
import type { Sandbox } from '../connectors/sandbox/server.js';
import { connectionsOf, resetStats, splitCalls, startBenchSandbox, startGatewayProcess, stats, type Calls, type GatewayProcess } from './harness.js';
import { globalIds, IDS_ONLY, pickSets } from './queries.js';

export type Quotas = 'lifted' | 'default';

export class BenchContext {
  private sandboxP: Promise<Sandbox> | undefined;
  private readonly gateways = new Map<string, Promise<GatewayProcess>>();
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly signIns = new WeakMap<GatewayProcess, Calls>();
  /** Anything that went wrong or could not be measured. */
  readonly notes: string[] = [];

  constructor(
    readonly quick: boolean,
    /** The stated vendor latency and jitter (ms). */
    readonly latencyMs: number,
    readonly jitterMs: number,
    private readonly logLine: (line: string) => void,
  ) {}

  log(line: string): void {
    this.logLine(line);
  }

  /** The sandbox over the default data set (seed 42, 320 customers). */
  sandbox(): Promise<Sandbox> {
    if (!this.sandboxP) {
      this.sandboxP = startBenchSandbox();
      this.closers.push(async () => (await this.sandboxP!).close());
    }
    return this.sandboxP;
  }

  /**
   * A gateway process over the default sandbox, shared by the scenarios that ask for the same
   * settings: the main one (`loaders` on, quotas lifted, no shared cache), the one without
   * loaders, the one with the default quotas, the one with the shared cache. Each signs in to every vendor when it starts (one work order per vendor
   * that no scenario measures); {@link signInCalls} tells what that cost.
   */
  gateway(options: { loaders?: boolean; quotas?: Quotas; sharedCache?: boolean } = {}): Promise<GatewayProcess> {
    const loaders = options.loaders ?? true;
    const quotas = options.quotas ?? 'lifted';
    const sharedCache = options.sharedCache ?? false;
    const key = `${loaders}:${quotas}:${sharedCache}`;
    let g = this.gateways.get(key);
    if (!g) {
      g = (async () => {
        const sandbox = await this.sandbox();
        this.log(`  starting a gateway process (loaders ${loaders ? 'on' : 'off'}, quotas ${quotas}, shared cache ${sharedCache ? 'on' : 'off'})`);
        const gateway = await startGatewayProcess({ connections: await connectionsOf(sandbox, quotas), loaders, sharedCache });
        await resetStats(sandbox);
        const r = await gateway.graphql(IDS_ONLY, { ids: globalIds(pickSets(sandbox.dataset, 1, 1, 100)[0]!) });
        if (r.errors?.length) throw new Error(`the gateway could not sign in: ${JSON.stringify(r.errors).slice(0, 500)}`);
        this.signIns.set(gateway, splitCalls(await stats(sandbox)).signIn);
        return gateway;
      })();
      this.gateways.set(key, g);
      this.closers.push(async () => (await g!).close());
    }
    return g;
  }

  /** The sign-in calls a gateway made when it started (tokens, sessions). */
  signInCalls(gateway: GatewayProcess): Calls {
    return this.signIns.get(gateway) ?? {};
  }

  /** Registers something to close at the end. */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** Closes the gateways, then the sandboxes (reverse order of start). */
  async close(): Promise<void> {
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch (e) {
        this.notes.push(`closing: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.closers.length = 0;
  }
}
