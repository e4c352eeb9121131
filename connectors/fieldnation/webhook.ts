/**
 * Field Nation webhook deliveries (vendor facts §2.6): a POST of the full work order with
 * `event: {name, params: {work_order_id, …}}`, signed `X-FN-Signature: sha256=<hex HMAC-SHA256 of
 * the raw body with the webhook's secret>`, with `X-FN-Delivery-Id` (`uuid:attempt`) for
 * de-duplication. Deliveries are at least once and may be retried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WebhookSpec } from '../types.js';
import { appointmentIdOf } from './mapping.js';
import { FieldNationIdWire } from './wire.js';

/** The part of a delivery the gateway reads: which work order changed. */
const FieldNationWebhookWire = z.object({
  event: z.object({
    name: z.string().min(1),
    params: z.object({ work_order_id: FieldNationIdWire }).passthrough(),
  }),
  timestamp: z.union([z.string(), z.number()]).optional(),
});

/** Field Nation's webhook: signature check, delivery id, and the records a delivery changes. */
export const FIELD_NATION_WEBHOOK: WebhookSpec = {
  verify(headers, rawBody, secret) {
    const m = /^sha256=([0-9a-f]{64})$/i.exec(headers['x-fn-signature'] ?? '');
    if (!m) return false;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'));
  },
  deliveryId(headers) {
    // `uuid:attempt`: retries of one delivery share the uuid.
    return headers['x-fn-delivery-id']?.split(':')[0] || undefined;
  },
  changed(body) {
    const id = FieldNationWebhookWire.parse(body).event.params.work_order_id;
    // A Field Nation work order is also its one visit.
    return [
      { kind: 'workOrder', id },
      { kind: 'appointment', id: appointmentIdOf(id) },
    ];
  },
};
