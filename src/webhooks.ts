/**
 * Vendor webhooks: `POST /webhooks/<tenant>/<vendor>`. A delivery whose signature matches the
 * tenant's secret for that vendor drops the records it names from the shared cache, so the next
 * request reads them afresh from the vendor. Invalidation is idempotent, so the vendors' retries
 * and duplicate deliveries are harmless. Answers: 204 done, 401 bad signature, 400 not a delivery,
 * 404 no webhook configured for that tenant and vendor.
 */
import express, { type Express, type Request, type Response } from 'express';
import { CONNECTORS } from '../connectors/registry.js';
import type { WebhookSpec } from '../connectors/types.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import type { SharedCache } from './cache/shared.js';
import { loggerFor, type Logger } from './observability/log.js';

/** Secrets of the webhook subscriptions: tenant -> vendor -> shared secret. */
export type WebhookSecrets = Record<string, Partial<Record<VendorKey, string>>>;

/** Options of {@link mountWebhooks}. */
export interface WebhookOptions {
  secrets: WebhookSecrets;
  cache: SharedCache | undefined;
  logger: Logger;
}

function reply(res: Response, status: number, message?: string): void {
  if (message) res.status(status).json({ error: message });
  else res.status(status).end();
}

/** Mounts the webhook route on `app`. */
export function mountWebhooks(app: Express, options: WebhookOptions): void {
  app.post('/webhooks/:tenant/:vendor', express.raw({ type: () => true, limit: '2mb' }), (req: Request, res: Response, next) => {
    const tenant = String(req.params.tenant);
    const vendor = String(req.params.vendor) as VendorKey;
    const spec = VENDOR_KEYS.includes(vendor) ? CONNECTORS[vendor].webhook : undefined;
    const secret = options.secrets[tenant]?.[vendor];
    if (!spec || !secret) {
      reply(res, 404, 'No webhook is configured here.');
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
    if (!spec.verify(headers, raw, secret)) {
      reply(res, 401, 'The signature does not match.');
      return;
    }
    let changed: ReturnType<WebhookSpec['changed']>;
    try {
      changed = spec.changed(JSON.parse(raw.toString('utf8')));
    } catch {
      reply(res, 400, 'The body is not a delivery of this vendor.');
      return;
    }
    const records = changed.map((c) => ({ kind: c.kind, ref: { system: vendor, id: c.id } }));
    (options.cache?.invalidate(tenant, { records }) ?? Promise.resolve()).then(() => {
      loggerFor(options.logger).info({ vendor, tenant, delivery: spec.deliveryId(headers), records: records.length }, 'webhook applied');
      reply(res, 204);
    }, next);
  });
}
