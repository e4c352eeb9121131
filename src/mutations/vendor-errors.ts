/**
 * A vendor's refusal of a write, as user errors: the vendor's field names become the connector
 * command's fields (each connector's own table), then paths of the mutation's input; the error
 * kind and vendor code become a `UserErrorCode`. Failures that are not the caller's to fix
 * (outages, timeouts, rate limits, credentials, unreadable answers) are not translated: they stay
 * system errors with their public codes.
 */
import { toUserErrors as asteaUserErrors } from '../../connectors/astea/mapping.js';
import { PartialWriteError } from '../../connectors/core/ops.js';
import { commandFieldOf as servicePowerField } from '../../connectors/servicepower/mapping.js';
import { commandFieldOf as serviceTitanField } from '../../connectors/servicetitan/mapping.js';
import { ConnectorError } from '../../connectors/types.js';
import { VENDOR_TITLES, type VendorKey } from '../../connectors/vendors.js';
import type { UserErrorCode } from '../__generated__/graphql.js';
import { userError, type UserError } from './input.js';

/** Command field (dot path, longest prefix wins) → input path of a mutation; `null`: configuration, not input. */
export type FieldMap = Readonly<Record<string, readonly string[] | null>>;

// Field Nation names fields after its request body (`types_of_work.0.id`, `schedule.service_window.start`).
const FIELD_NATION_FIELDS: Readonly<Record<string, string>> = {
  types_of_work: 'serviceType',
  title: 'summary',
  description: 'summary',
  client: 'customer',
  location: 'location',
  schedule: 'window',
  pay: 'vendorSettings.payAmount',
  custom_fields: 'externalReference',
  user: 'technicianRefs',
  assignee: 'technicianRefs',
  technician: 'technicianRefs',
};

function commandField(vendor: VendorKey, field: string): string {
  switch (vendor) {
    case 'servicepower':
      return servicePowerField(field);
    case 'servicetitan':
      return serviceTitanField(field);
    case 'fieldnation': {
      const head = field.split(/[.[]/)[0] ?? field;
      return FIELD_NATION_FIELDS[head] ?? field;
    }
    default:
      // Sera and Astea already name the command's fields.
      return field;
  }
}

/** The input path (below `input`) of a command field through `map`; null when it is not the caller's input. */
export function inputPathOf(commandFieldPath: string, map: FieldMap): string[] | null {
  const parts = commandFieldPath.split(/[.[\]]+/).filter(Boolean);
  for (let n = parts.length; n > 0; n--) {
    const key = parts.slice(0, n).join('.');
    if (key in map) {
      const base = map[key];
      return base === null || base === undefined ? null : [...base, ...parts.slice(n)];
    }
  }
  // A field the table does not know is not shown as a path the input does not have.
  return null;
}

function codeOf(error: ConnectorError, message: string): UserErrorCode | undefined {
  const vendorCode = (error.vendorCode ?? '').toLowerCase();
  if (vendorCode === 'skill_mismatch') return 'SKILL_MISMATCH';
  if (vendorCode === 'schedule_conflict') return 'CAPACITY_CONFLICT';
  // ServicePower refuses a technician without the unit's skill as 422 `unprocessable` ("lacks the skill …")
  // and a window over another of the technician's visits as 409 `conflict` ("Overlaps dispatch …").
  if ((error.kind === 'invalid_request' || error.kind === 'conflict') && /\bskills?\b/i.test(message)) return 'SKILL_MISMATCH';
  if (error.kind === 'conflict' && /\boverlap/i.test(message)) return 'CAPACITY_CONFLICT';
  switch (error.kind) {
    case 'invalid_request':
      // 422 `unprocessable`: a referenced record that does not exist or cannot be used.
      if (error.status === 422 || vendorCode === 'unprocessable') return /\binactive\b/i.test(message) ? 'NOT_ALLOWED' : 'NOT_FOUND';
      return /\brequired\b|\bmissing\b/i.test(message) ? 'REQUIRED' : 'INVALID';
    case 'conflict':
      return 'CONFLICT';
    case 'not_found':
      return 'NOT_FOUND';
    case 'forbidden':
      return 'NOT_ALLOWED';
    default:
      return undefined;
  }
}

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

/**
 * The user errors of a vendor refusal, or undefined when `error` is not the caller's to fix (then
 * it is rethrown as a system error). `mainPath` is where a refusal without field errors belongs
 * (e.g. a 404 of the work order). A {@link PartialWriteError} becomes `PARTIAL_WRITE` with the
 * exact account of what was written, plus the refusal of the step that failed when there is one.
 */
export function userErrorsOf(error: unknown, vendor: VendorKey, map: FieldMap, mainPath: readonly string[] | null = null): UserError[] | undefined {
  if (!(error instanceof ConnectorError)) return undefined;
  const title = VENDOR_TITLES[vendor];
  const refusal = (): UserError[] | undefined => {
    if (vendor === 'astea') {
      const errs = asteaUserErrors(error, 'dispatch');
      if (errs.length === 0) return undefined;
      return errs.map((e) => {
        const path = e.field ? inputPathOf(e.field.join('.'), map) : mainPath;
        const code = (e.code === 'NOT_ALLOWED' && error.vendorCode === 'skill_mismatch' ? 'SKILL_MISMATCH' : e.code === 'SLOT_UNAVAILABLE' ? 'CAPACITY_CONFLICT' : e.code) as UserErrorCode;
        return userError(code, path, clip(`${title}: ${e.message}`));
      });
    }
    const top = codeOf(error, error.message);
    if (!top) return undefined;
    if (error.fieldErrors.length === 0) return [userError(top, mainPath, clip(`${title} refused the request: ${error.message}`))];
    return error.fieldErrors.map((fe) => userError(codeOf(error, fe.message) ?? top, inputPathOf(commandField(vendor, fe.field), map), clip(`${title}: ${fe.message}`)));
  };
  if (error instanceof PartialWriteError) {
    const written = error.completed.map((r) => `${VENDOR_TITLES[r.system]} record ${r.id}`).join(', ');
    return [
      userError('PARTIAL_WRITE', null, clip(`${title} carried out part of the request and it could not be fully undone (${written || 'see the message'}): ${error.message}`)),
      ...(refusal() ?? []),
    ];
  }
  return refusal();
}
