/**
 * Test helpers for the sandbox: start one with response checking on, look up a vendor, compute the
 * current MFA code, and make plain HTTP calls.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../connectors/sandbox/server.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { totp } from '../../src/util/totp.js';

/** Starts a sandbox on a free 127.0.0.1 port that checks every response against its schema. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, checkResponses: true, ...options });
}

/** `/_sandbox` information of one vendor. */
export async function vendorInfo(sandbox: Sandbox, vendor: VendorKey): Promise<VendorInfo> {
  const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
  const info = index.vendors.find((v) => v.key === vendor);
  if (!info) throw new Error(`sandbox does not serve ${vendor}`);
  return info;
}

/** The MFA code the session vendors accept now. */
export function mfaCode(sandbox: Sandbox): string {
  return totp(sandbox.totpSecret);
}

/** A JSON HTTP call; returns status, headers and the parsed body (text when not JSON). */
export async function call(
  method: string,
  url: string,
  init: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Calls of one endpoint (`GET /path/{param}`) of a vendor since the last stats reset. */
export async function upstreamCalls(sandbox: Sandbox, vendor: VendorKey, endpoint?: string): Promise<number> {
  const snap = sandbox.stats.snapshot();
  const v = snap.vendors[vendor];
  if (!v) return 0;
  return endpoint ? (v.endpoints[endpoint]?.count ?? 0) : v.total;
}
