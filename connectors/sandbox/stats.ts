/**
 * Request statistics of the sandbox: calls per vendor, per endpoint (`METHOD /path/{param}`) and
 * per status. Status 0 counts calls that got no response (timeouts, dropped responses).
 */
import type { VendorKey } from '../vendors.js';

/** Counts of one endpoint. */
export interface EndpointStats {
  count: number;
  statuses: Record<string, number>;
}

/** What `GET /_sandbox/stats` answers. */
export interface StatsSnapshot {
  since: string;
  total: number;
  vendors: Partial<Record<VendorKey, { total: number; endpoints: Record<string, EndpointStats> }>>;
}

export class Stats {
  private since = new Date();
  private readonly counts = new Map<VendorKey, Map<string, EndpointStats>>();

  record(vendor: VendorKey, endpoint: string, status: number): void {
    let byEndpoint = this.counts.get(vendor);
    if (!byEndpoint) this.counts.set(vendor, (byEndpoint = new Map()));
    let e = byEndpoint.get(endpoint);
    if (!e) byEndpoint.set(endpoint, (e = { count: 0, statuses: {} }));
    e.count++;
    e.statuses[status] = (e.statuses[status] ?? 0) + 1;
  }

  reset(): void {
    this.counts.clear();
    this.since = new Date();
  }

  snapshot(): StatsSnapshot {
    const vendors: StatsSnapshot['vendors'] = {};
    let total = 0;
    for (const [vendor, byEndpoint] of this.counts) {
      const endpoints: Record<string, EndpointStats> = {};
      let vt = 0;
      for (const [k, e] of [...byEndpoint].sort(([a], [b]) => a.localeCompare(b))) {
        endpoints[k] = { count: e.count, statuses: { ...e.statuses } };
        vt += e.count;
      }
      vendors[vendor] = { total: vt, endpoints };
      total += vt;
    }
    return { since: this.since.toISOString(), total, vendors };
  }
}
