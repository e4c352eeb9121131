/**
 * Installed equipment (equipmentsystems module) and the read-mostly settings lists: technicians,
 * business units, tag types (settings), campaigns (marketing) and the pricebook services that sell
 * memberships.
 */
import { z } from 'zod';
import { csv, isoNow, type RouteDef } from '../../sandbox/kit.js';
import { customFieldName, REFERENCE_CREATED_ON } from './constants.js';
import { unknownTags } from './crm.js';
import { errorDocs, unprocessable } from './errors.js';
import { base, ID, mustGet, ok, pathId, route, TENANT, type SimState } from './http.js';
import { activeParam, byIds, Filters, idListParam, intersect, listPage, mergeSorted, paging, pagingOf, stampFilters } from './query.js';
import { businessUnitRows, campaignRows, pricebookServiceRows, renderEquipment, renderTechnician } from './render.js';
import {
  BusinessUnitSchema,
  CampaignSchema,
  EquipmentCreateBody,
  InstalledEquipmentSchema,
  paginated,
  PricebookServiceSchema,
  TagTypeSchema,
  TechnicianSchema,
} from './schemas.js';
import type { EquipmentRec, TechnicianRec } from './store.js';

const EQS = base('equipmentsystems');
const SETTINGS = base('settings');

/** A fixed list served with ids/active/paging like every other list. */
function referenceList<T extends { id: number; active?: boolean; modifiedOn: string }>(
  rows: readonly T[],
  q: { ids?: string | undefined; active?: 'True' | 'False' | 'Any' | undefined; page?: string | undefined; pageSize?: string | undefined; includeTotal?: string | undefined; modifiedOnOrAfter?: string | undefined; modifiedBefore?: string | undefined },
) {
  const f = new Filters<T>().active(q.active, (r) => r.active ?? true).stamps(q, (r) => ({ createdOn: REFERENCE_CREATED_ON, modifiedOn: r.modifiedOn }));
  return ok(listPage(byIds(q.ids, (id) => rows.find((r) => r.id === id)) ?? rows, f, pagingOf(q), (r) => ({ ...r })));
}

const referenceQuery = z.object({ ...paging, ids: idListParam('Perform lookup by multiple IDs.'), active: activeParam(), ...stampFilters });

/** Equipment and settings routes. */
export function settingsRoutes(state: SimState): RouteDef[] {
  const equipmentQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    locationIds: idListParam('Return installed equipment at these locations.'),
    active: activeParam(),
    ...stampFilters,
  });
  const technicianQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    name: z.string().optional().describe('Filters by technician name (case-insensitive, contains).'),
    active: activeParam(),
    ...stampFilters,
  });

  return [
    route({
      method: 'GET',
      path: `${EQS}/installed-equipment`,
      operationId: 'InstalledEquipment_GetList',
      summary: 'Gets a list of installed equipment',
      tags: ['InstalledEquipment'],
      pathParams: TENANT,
      query: equipmentQuery,
      responses: { 200: { description: 'A page of installed equipment.', schema: paginated(InstalledEquipmentSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const byLocations = q.locationIds !== undefined ? mergeSorted(csv(q.locationIds).map((id) => s.equipment.by('location', Number(id)))) : undefined;
        const { candidates, extra } = intersect([byIds(q.ids, (id) => s.equipment.get(id)), byLocations], s.equipment.rows);
        const f = new Filters<EquipmentRec>().active(q.active, (e) => e.active).stamps(q, (e) => e);
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, pagingOf(q), (e) => renderEquipment(s, e)));
      },
    }),
    route({
      method: 'GET',
      path: `${EQS}/installed-equipment/{id}`,
      operationId: 'InstalledEquipment_Get',
      summary: 'Gets installed equipment by ID',
      tags: ['InstalledEquipment'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The installed equipment.', schema: InstalledEquipmentSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderEquipment(s, mustGet(req, s.equipment, 'Installed equipment', pathId(req))));
      },
    }),
    route({
      method: 'POST',
      path: `${EQS}/installed-equipment`,
      operationId: 'InstalledEquipment_Create',
      summary: 'Creates installed equipment at a location',
      description: 'Only locationId is required; the customer is the location\'s. 422 when the location does not exist.',
      tags: ['InstalledEquipment'],
      pathParams: TENANT,
      body: EquipmentCreateBody,
      responses: { 200: { description: 'The new installed equipment.', schema: InstalledEquipmentSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const loc = s.locations.get(b.locationId);
        const errs = { ...(loc ? {} : { locationId: [`Location with ID ${b.locationId} was not found.`] }), ...unknownTags(s, b.tagTypeIds, 'tagTypeIds') };
        if (Object.keys(errs).length || !loc) throw unprocessable(req, errs);
        const now = isoNow(state.now());
        const e = s.equipment.insert(
          {
            id: s.seq.equipment.next(),
            locationId: loc.id,
            customerId: loc.customerId,
            active: true,
            name: b.name ?? '',
            type: null,
            installedOn: b.installedOn ?? null,
            serialNumber: b.serialNumber ?? null,
            memo: b.memo ?? null,
            manufacturer: b.manufacturer ?? null,
            model: b.model ?? null,
            cost: b.cost ?? 0,
            manufacturerWarrantyStart: b.manufacturerWarrantyStart ?? null,
            manufacturerWarrantyEnd: b.manufacturerWarrantyEnd ?? null,
            serviceProviderWarrantyStart: b.serviceProviderWarrantyStart ?? null,
            serviceProviderWarrantyEnd: b.serviceProviderWarrantyEnd ?? null,
            tagTypeIds: [...new Set(b.tagTypeIds ?? [])],
            customFields: (b.customFields ?? []).map((f) => ({ id: s.seq.equipmentField.next(), typeId: f.typeId, name: customFieldName(f.typeId), value: f.value ?? null })),
            createdOn: now,
            modifiedOn: now,
          },
          state.now().getTime(),
        );
        return ok(renderEquipment(s, e));
      },
    }),
    route({
      method: 'GET',
      path: `${SETTINGS}/technicians`,
      operationId: 'Technicians_GetList',
      summary: 'Gets a list of technicians',
      tags: ['Technicians'],
      pathParams: TENANT,
      query: technicianQuery,
      responses: { 200: { description: 'A page of technicians.', schema: paginated(TechnicianSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<TechnicianRec>().active(q.active, (t) => t.active).stamps(q, (t) => t);
        if (q.name !== undefined) {
          const needle = q.name.trim().toLowerCase();
          f.add((t) => t.name.toLowerCase().includes(needle));
        }
        return ok(listPage(byIds(q.ids, (id) => s.technicians.get(id)) ?? s.technicians.rows, f, pagingOf(q), renderTechnician));
      },
    }),
    route({
      method: 'GET',
      path: `${SETTINGS}/technicians/{id}`,
      operationId: 'Technicians_Get',
      summary: 'Gets a technician by ID',
      tags: ['Technicians'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The technician.', schema: TechnicianSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderTechnician(mustGet(req, s.technicians, 'Technician', pathId(req))));
      },
    }),
    route({
      method: 'GET',
      path: `${SETTINGS}/business-units`,
      operationId: 'BusinessUnits_GetList',
      summary: 'Gets a list of business units',
      tags: ['BusinessUnits'],
      pathParams: TENANT,
      query: referenceQuery,
      responses: { 200: { description: 'A page of business units.', schema: paginated(BusinessUnitSchema) }, ...errorDocs(400) },
      handler: (req) => referenceList(businessUnitRows, req.query),
    }),
    route({
      method: 'GET',
      path: `${SETTINGS}/tag-types`,
      operationId: 'TagTypes_GetList',
      summary: 'Gets a list of tag types',
      tags: ['TagTypes'],
      pathParams: TENANT,
      query: referenceQuery,
      responses: { 200: { description: 'A page of tag types.', schema: paginated(TagTypeSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const rows = s.tagTypes.map((t) => ({ id: t.id, name: t.name, color: t.color, code: null, importance: null, active: true, modifiedOn: REFERENCE_CREATED_ON }));
        return referenceList(rows, req.query);
      },
    }),
    route({
      method: 'GET',
      path: `${base('marketing')}/campaigns`,
      operationId: 'Campaigns_GetList',
      summary: 'Gets a list of campaigns',
      tags: ['Campaigns'],
      pathParams: TENANT,
      query: referenceQuery.extend({ name: z.string().optional().describe('Filters by campaign name.') }),
      responses: { 200: { description: 'A page of campaigns.', schema: paginated(CampaignSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const name = req.query.name?.toLowerCase();
        return referenceList(name === undefined ? campaignRows : campaignRows.filter((c) => c.name.toLowerCase() === name), req.query);
      },
    }),
    route({
      method: 'GET',
      path: `${base('pricebook')}/services`,
      operationId: 'Services_GetList',
      summary: 'Gets a list of pricebook services (the sandbox holds the membership sale tasks)',
      tags: ['Services'],
      pathParams: TENANT,
      query: referenceQuery,
      responses: { 200: { description: 'A page of services.', schema: paginated(PricebookServiceSchema) }, ...errorDocs(400) },
      handler: (req) => referenceList(pricebookServiceRows, req.query),
    }),
  ];
}
