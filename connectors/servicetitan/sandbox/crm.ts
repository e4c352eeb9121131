/**
 * CRM module routes: customers (with embedded locations on create), customer contacts, locations,
 * location contacts and bookings (tenant-wide reads, provider-scoped create).
 */
import { z } from 'zod';
import { csv, isoNow, type RouteDef } from '../../sandbox/kit.js';
import { BUSINESS_UNITS, CAMPAIGNS, customFieldName, JOB_TYPES, SERVICETITAN_SANDBOX } from './constants.js';
import { badRequest, errorDocs, notFound, unprocessable } from './errors.js';
import { base, guidOf, ID, mustGet, ok, pathId, route, TENANT, type SimState, type StRequest } from './http.js';
import {
  activeParam,
  byIds,
  enumParam,
  externalDataGuidParam,
  Filters,
  idListParam,
  idParam,
  intersect,
  listPage,
  mergeSorted,
  paging,
  pagingOf,
  sortOf,
  sortParam,
  stampFilters,
} from './query.js';
import { renderBooking, renderContact, renderCustomer, renderCustomerContact, renderLocation } from './render.js';
import {
  BOOKING_STATUSES,
  BookingCreateBody,
  BookingSchema,
  ContactInput,
  ContactSchema,
  CustomerContactSchema,
  CustomerCreateBody,
  CustomerCreatedSchema,
  CustomerSchema,
  LocationCreateBody,
  LocationSchema,
  LocationWithContactsSchema,
  paginated,
  type Address,
  type ContactType,
  type CustomField,
} from './schemas.js';
import type { ContactRec, CustomerRec, ExternalDatum, LocationRec, TenantStore } from './store.js';

const CRM = base('crm');

type AddressIn = z.infer<typeof CustomerCreateBody>['address'];

function toAddress(a: AddressIn): Address {
  return {
    street: a.street,
    unit: a.unit ?? null,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country ?? 'USA',
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

/** Custom field values of a request body. */
export function customFieldsOf(list: ReadonlyArray<{ typeId: number; value?: string | null | undefined }> | null | undefined): CustomField[] {
  return (list ?? []).map((f) => ({ typeId: f.typeId, name: customFieldName(f.typeId), value: f.value ?? null }));
}

/** `externalData` of a request body, kept with its application guid. */
export function externalDataIn(x: { applicationGuid: string; externalData: Array<{ key: string; value: string }> } | null | undefined): ExternalDatum[] {
  return (x?.externalData ?? []).map((e) => ({ applicationGuid: x!.applicationGuid.toLowerCase().replace(/[{}]/g, ''), key: e.key, value: e.value }));
}

/** Contact values are checked as the ServiceTitan UI checks them: emails need an @, phones 10+ digits. */
export function contactIssues(contacts: ReadonlyArray<{ type: ContactType; value: string }>, path: string): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  contacts.forEach((c, i) => {
    if (c.type === 'Email' && !/^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$/.test(c.value)) errors[`${path}[${i}].value`] = ['The value is not a valid email address.'];
    if ((c.type === 'Phone' || c.type === 'MobilePhone' || c.type === 'Fax') && c.value.replace(/\D/g, '').length < 10) {
      errors[`${path}[${i}].value`] = ['The value is not a valid phone number.'];
    }
  });
  return errors;
}

/** Tag type ids that are not configured in the tenant, as 422 field errors. */
export function unknownTags(s: TenantStore, ids: readonly number[] | null | undefined, field: string): Record<string, string[]> {
  const missing = (ids ?? []).filter((id) => !s.tagTypes.some((t) => t.id === id));
  return missing.length ? { [field]: [`Tag types not found: ${missing.join(', ')}.`] } : {};
}

/** Adds contacts to an owner (customer or location). */
function addContacts(s: TenantStore, ownerId: number, list: ReadonlyArray<z.infer<typeof ContactInput>> | null | undefined, now: string): ContactRec[] {
  return (list ?? []).map((c) =>
    s.contacts.insert({ id: s.seq.contact.next(), ownerId, type: c.type, value: c.value, memo: c.memo ?? null, createdOn: now, modifiedOn: now }),
  );
}

/** Customer, location and booking routes. */
export function crmRoutes(state: SimState): RouteDef[] {
  const customerQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    ...stampFilters,
    sort: sortParam(),
    name: z.string().optional().describe('Filters by customer name (case-insensitive, contains).'),
    phone: z.string().optional().describe('Filters by a phone contact (digits compared).'),
    active: activeParam(),
    externalDataKey: z.string().optional().describe('Filters by an externalData key (with externalDataValues).'),
    externalDataValues: z
      .string()
      .refine((s) => csv(s).length <= 50, 'At most 50 values.')
      .optional()
      .describe('Comma-separated externalData values to match under externalDataKey (maximum 50).'),
    ...externalDataGuidParam,
  });

  const locationQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    customerId: idParam('Filters by customer ID.'),
    name: z.string().optional().describe('Filters by location name (case-insensitive, contains).'),
    ...stampFilters,
    sort: sortParam(),
    active: activeParam(),
    ...externalDataGuidParam,
  });

  // The bulk contact read: ST-SPEC `Customers_GetModifiedContactsList`. A modified-on bound is
  // required (modifiedBefore or modifiedOnOrAfter, else 400); `customerIds` narrows it to at most
  // 50 customers.
  const customerContactsQuery = z.object({
    ...paging,
    modifiedBefore: stampFilters.modifiedBefore.describe(
      'Format - date-time (as date-time in RFC3339). Return items modified before certain date/time (in UTC). Either modifiedBefore or modifiedOnOrAfter parameter must be specified.',
    ),
    modifiedOnOrAfter: stampFilters.modifiedOnOrAfter.describe(
      'Format - date-time (as date-time in RFC3339). Return items modified on/after certain date/time (in UTC). Either modifiedBefore or modifiedOnOrAfter parameter must be specified.',
    ),
    customerIds: idListParam('Returns specific contact records by customer IDs.'),
    createdBefore: stampFilters.createdBefore,
    createdOnOrAfter: stampFilters.createdOnOrAfter,
  });

  const bookingQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    externalId: z.string().optional().describe('Filters by the booking provider\'s external id.'),
    status: enumParam(BOOKING_STATUSES, 'Filters by booking status.'),
    ...stampFilters,
    sort: sortParam(),
  });

  const listCustomers = (req: StRequest<z.infer<typeof customerQuery>, undefined>) => {
    const s = state.store(req.auth.tenant);
    const q = req.query;
    const f = new Filters<CustomerRec>().active(q.active, (c) => c.active).stamps(q, (c) => c);
    if (q.name !== undefined) {
      const needle = q.name.trim().toLowerCase();
      f.add((c) => c.name.toLowerCase().includes(needle));
    }
    if (q.phone !== undefined) {
      const digits = q.phone.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
      f.add((c) => s.contacts.by('owner', c.id).some((k) => k.type !== 'Email' && k.value.replace(/\D/g, '').endsWith(digits)));
    }
    if (q.externalDataKey !== undefined) {
      const key = q.externalDataKey;
      const values = q.externalDataValues !== undefined ? new Set(csv(q.externalDataValues)) : undefined;
      f.add((c) => c.externalData.some((e) => e.key === key && (!values || values.has(e.value))));
    }
    const candidates = byIds(q.ids, (id) => s.customers.get(id)) ?? s.customers.rows;
    return ok(listPage(candidates, f, { ...pagingOf(q), sort: sortOf(q.sort, (c) => c) }, (c) => renderCustomer(s, c, guidOf(q))));
  };

  const listLocations = (req: StRequest<z.infer<typeof locationQuery>, undefined>) => {
    const s = state.store(req.auth.tenant);
    const q = req.query;
    const f = new Filters<LocationRec>().active(q.active, (l) => l.active).stamps(q, (l) => l);
    if (q.name !== undefined) {
      const needle = q.name.trim().toLowerCase();
      f.add((l) => l.name.toLowerCase().includes(needle));
    }
    const { candidates, extra } = intersect(
      [byIds(q.ids, (id) => s.locations.get(id)), q.customerId !== undefined ? s.locations.by('customer', Number(q.customerId)) : undefined],
      s.locations.rows,
    );
    extra.forEach((p) => f.add(p));
    return ok(listPage(candidates, f, { ...pagingOf(q), sort: sortOf(q.sort, (l) => l) }, (l) => renderLocation(l, guidOf(q))));
  };

  const listCustomerContacts = (req: StRequest<z.infer<typeof customerContactsQuery>, undefined>) => {
    const s = state.store(req.auth.tenant);
    const q = req.query;
    if (q.modifiedBefore === undefined && q.modifiedOnOrAfter === undefined) {
      throw badRequest(req, { modifiedOnOrAfter: ['Either modifiedBefore or modifiedOnOrAfter parameter must be specified.'] });
    }
    // Contacts of customers only (locations' contacts share the table, under location ids).
    const f = new Filters<ContactRec>().add((k) => s.customers.get(k.ownerId) !== undefined).stamps(q, (k) => k);
    const candidates =
      q.customerIds !== undefined ? mergeSorted(csv(q.customerIds).map((id) => s.contacts.by('owner', Number(id)))) : s.contacts.rows;
    return ok(listPage(candidates, f, pagingOf(q), renderCustomerContact));
  };

  const listBookings = (req: StRequest<z.infer<typeof bookingQuery>, undefined>, providerId?: number) => {
    const s = state.store(req.auth.tenant);
    const q = req.query;
    const f = new Filters<(typeof s.bookings.rows)[number]>().stamps(q, (b) => b);
    if (q.status !== undefined) f.add((b) => b.status === q.status);
    const { candidates, extra } = intersect(
      [
        byIds(q.ids, (id) => s.bookings.get(id)),
        q.externalId !== undefined ? s.bookings.by('externalId', q.externalId) : undefined,
        providerId !== undefined ? s.bookings.by('provider', providerId) : undefined,
      ],
      s.bookings.rows,
    );
    extra.forEach((p) => f.add(p));
    return ok(listPage(candidates, f, { ...pagingOf(q), sort: sortOf(q.sort, (b) => b) }, renderBooking));
  };

  const providerOf = (req: { params: Record<string, string>; requestId: string }): number => {
    const id = pathId(req, 'bookingProviderId');
    if (id !== SERVICETITAN_SANDBOX.bookingProviderId) throw notFound(req, 'Booking provider', id);
    return id;
  };

  const PROVIDER = { bookingProviderId: { description: `Booking provider ID (the sandbox app is provider ${SERVICETITAN_SANDBOX.bookingProviderId}).`, type: 'integer' as const } };

  return [
    route({
      method: 'GET',
      path: `${CRM}/customers`,
      operationId: 'Customers_GetList',
      summary: 'Gets a list of customers',
      tags: ['Customers'],
      pathParams: TENANT,
      query: customerQuery,
      responses: { 200: { description: 'A page of customers.', schema: paginated(CustomerSchema) }, ...errorDocs(400) },
      handler: listCustomers,
    }),
    // Before `customers/{id}`: the first route whose path matches answers.
    route({
      method: 'GET',
      path: `${CRM}/customers/contacts`,
      operationId: 'Customers_GetModifiedContactsList',
      summary: 'Gets a list of contacts and customers for a specific modified-on date range',
      description:
        'Customer contacts (email addresses and phone numbers) with their `customerId`, in id order. Either `modifiedBefore` or `modifiedOnOrAfter` must be given (400 otherwise); `customerIds` (at most 50) reads the contacts of many customers in one call.',
      tags: ['Customers'],
      pathParams: TENANT,
      query: customerContactsQuery,
      responses: { 200: { description: 'A page of customer contacts.', schema: paginated(CustomerContactSchema) }, ...errorDocs(400) },
      handler: listCustomerContacts,
    }),
    route({
      method: 'GET',
      path: `${CRM}/customers/{id}`,
      operationId: 'Customers_Get',
      summary: 'Gets a customer by ID',
      tags: ['Customers'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ ...externalDataGuidParam }),
      responses: { 200: { description: 'The customer.', schema: CustomerSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderCustomer(s, mustGet(req, s.customers, 'Customer', pathId(req)), guidOf(req.query)));
      },
    }),
    route({
      method: 'POST',
      path: `${CRM}/customers`,
      operationId: 'Customers_Create',
      summary: 'Creates a new customer with its locations',
      description: 'At least one location is required; contacts (Email, Phone, MobilePhone, Fax) are created with the customer and served by `customers/{id}/contacts`.',
      tags: ['Customers'],
      pathParams: TENANT,
      body: CustomerCreateBody,
      responses: { 200: { description: 'The customer with its locations and contacts.', schema: CustomerCreatedSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const fieldErrs = {
          ...contactIssues(b.contacts ?? [], 'contacts'),
          ...Object.assign({}, ...b.locations.map((l, i) => contactIssues(l.contacts ?? [], `locations[${i}].contacts`))),
        };
        if (Object.keys(fieldErrs).length) throw badRequest(req, fieldErrs);
        const refErrs = { ...unknownTags(s, b.tagTypeIds, 'tagTypeIds'), ...Object.assign({}, ...b.locations.map((l, i) => unknownTags(s, l.tagTypeIds, `locations[${i}].tagTypeIds`))) };
        if (Object.keys(refErrs).length) throw unprocessable(req, refErrs);
        const now = isoNow(state.now());
        const wall = state.now().getTime();
        const customer = s.customers.insert(
          {
            id: s.seq.customer.next(),
            active: true,
            name: b.name,
            type: b.type ?? 'Residential',
            address: toAddress(b.address),
            customFields: customFieldsOf(b.customFields),
            tagTypeIds: [...new Set(b.tagTypeIds ?? [])],
            doNotMail: b.doNotMail ?? false,
            doNotService: b.doNotService ?? false,
            createdOn: now,
            createdById: SERVICETITAN_SANDBOX.apiUserId,
            modifiedOn: now,
            mergedToId: null,
            externalData: externalDataIn(b.externalData),
          },
          wall,
        );
        const contacts = addContacts(s, customer.id, b.contacts, now);
        const locations = b.locations.map((l) => {
          const loc = s.locations.insert(newLocation(s, customer.id, l, now), wall);
          return { ...renderLocation(loc), contacts: addContacts(s, loc.id, l.contacts, now).map(renderContact) };
        });
        return ok({ ...renderCustomer(s, customer), locations, contacts: contacts.map(renderContact) });
      },
    }),
    route({
      method: 'GET',
      path: `${CRM}/customers/{id}/contacts`,
      operationId: 'Customers_GetContactList',
      summary: "Gets a customer's contacts (email addresses and phone numbers)",
      tags: ['Customers'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ ...paging }),
      responses: { 200: { description: 'A page of contacts.', schema: paginated(ContactSchema) }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const c = mustGet(req, s.customers, 'Customer', pathId(req));
        return ok(listPage(s.contacts.by('owner', c.id), new Filters<ContactRec>(), pagingOf(req.query), renderContact));
      },
    }),
    route({
      method: 'POST',
      path: `${CRM}/customers/{id}/contacts`,
      operationId: 'Customers_CreateContact',
      summary: 'Creates a contact for a customer',
      tags: ['Customers'],
      pathParams: { ...TENANT, ...ID },
      body: ContactInput,
      responses: { 200: { description: 'The new contact.', schema: ContactSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const c = mustGet(req, s.customers, 'Customer', pathId(req));
        const errs = contactIssues([req.body], 'value');
        if (Object.keys(errs).length) throw badRequest(req, { value: Object.values(errs).flat() });
        const now = isoNow(state.now());
        const [contact] = addContacts(s, c.id, [req.body], now);
        c.modifiedOn = now;
        s.customers.changed(c, state.now().getTime());
        return ok(renderContact(contact!));
      },
    }),
    route({
      method: 'GET',
      path: `${CRM}/locations`,
      operationId: 'Locations_GetList',
      summary: 'Gets a list of locations',
      tags: ['Locations'],
      pathParams: TENANT,
      query: locationQuery,
      responses: { 200: { description: 'A page of locations.', schema: paginated(LocationSchema) }, ...errorDocs(400) },
      handler: listLocations,
    }),
    route({
      method: 'GET',
      path: `${CRM}/locations/{id}`,
      operationId: 'Locations_Get',
      summary: 'Gets a location by ID',
      tags: ['Locations'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ ...externalDataGuidParam }),
      responses: { 200: { description: 'The location.', schema: LocationSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderLocation(mustGet(req, s.locations, 'Location', pathId(req)), guidOf(req.query)));
      },
    }),
    route({
      method: 'GET',
      path: `${CRM}/locations/{id}/contacts`,
      operationId: 'Locations_GetContactList',
      summary: "Gets a location's contacts",
      tags: ['Locations'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ ...paging }),
      responses: { 200: { description: 'A page of contacts.', schema: paginated(ContactSchema) }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const l = mustGet(req, s.locations, 'Location', pathId(req));
        return ok(listPage(s.contacts.by('owner', l.id), new Filters<ContactRec>(), pagingOf(req.query), renderContact));
      },
    }),
    route({
      method: 'POST',
      path: `${CRM}/locations`,
      operationId: 'Locations_Create',
      summary: 'Creates a new location for an existing customer',
      tags: ['Locations'],
      pathParams: TENANT,
      body: LocationCreateBody,
      responses: { 200: { description: 'The location with its contacts.', schema: LocationWithContactsSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const errs = contactIssues(b.contacts ?? [], 'contacts');
        if (Object.keys(errs).length) throw badRequest(req, errs);
        const customer = s.customers.get(b.customerId);
        const refErrs = { ...(customer ? {} : { customerId: [`Customer with ID ${b.customerId} was not found.`] }), ...unknownTags(s, b.tagTypeIds, 'tagTypeIds') };
        if (Object.keys(refErrs).length) throw unprocessable(req, refErrs);
        const now = isoNow(state.now());
        const loc = s.locations.insert(newLocation(s, b.customerId, b, now), state.now().getTime());
        return ok({ ...renderLocation(loc), contacts: addContacts(s, loc.id, b.contacts, now).map(renderContact) });
      },
    }),
    route({
      method: 'GET',
      path: `${CRM}/bookings`,
      operationId: 'Bookings_GetList',
      summary: 'Gets a list of bookings',
      tags: ['Bookings'],
      pathParams: TENANT,
      query: bookingQuery,
      responses: { 200: { description: 'A page of bookings.', schema: paginated(BookingSchema) }, ...errorDocs(400) },
      handler: (req) => listBookings(req),
    }),
    route({
      method: 'GET',
      path: `${CRM}/bookings/{id}`,
      operationId: 'Bookings_Get',
      summary: 'Gets a booking by ID',
      tags: ['Bookings'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The booking.', schema: BookingSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderBooking(mustGet(req, s.bookings, 'Booking', pathId(req))));
      },
    }),
    route({
      method: 'GET',
      path: `${CRM}/booking-provider/{bookingProviderId}/bookings`,
      operationId: 'BookingProviderBookings_GetList',
      summary: "Gets a list of the booking provider's bookings",
      tags: ['Bookings'],
      pathParams: { ...TENANT, ...PROVIDER },
      query: bookingQuery,
      responses: { 200: { description: 'A page of bookings.', schema: paginated(BookingSchema) }, ...errorDocs(400, 404) },
      handler: (req) => listBookings(req, providerOf(req)),
    }),
    route({
      method: 'GET',
      path: `${CRM}/booking-provider/{bookingProviderId}/bookings/{id}`,
      operationId: 'BookingProviderBookings_Get',
      summary: "Gets one of the booking provider's bookings",
      tags: ['Bookings'],
      pathParams: { ...TENANT, ...PROVIDER, ...ID },
      responses: { 200: { description: 'The booking.', schema: BookingSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const provider = providerOf(req);
        const b = mustGet(req, s.bookings, 'Booking', pathId(req));
        if (b.bookingProviderId !== provider) throw notFound(req, 'Booking', b.id);
        return ok(renderBooking(b));
      },
    }),
    route({
      method: 'POST',
      path: `${CRM}/booking-provider/{bookingProviderId}/bookings`,
      operationId: 'BookingProviderBookings_Create',
      summary: 'Creates a booking (an inbound lead) as the booking provider',
      description: 'No idempotency key: `externalId` is the natural de-duplication key; look it up with `GET bookings?externalId=` before creating again.',
      tags: ['Bookings'],
      pathParams: { ...TENANT, ...PROVIDER },
      body: BookingCreateBody,
      responses: { 200: { description: 'The new booking (status New).', schema: BookingSchema }, ...errorDocs(400, 404, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const provider = providerOf(req);
        const b = req.body;
        const errs = contactIssues(b.contacts ?? [], 'contacts');
        if (Object.keys(errs).length) throw badRequest(req, errs);
        const refErrs: Record<string, string[]> = {};
        if (b.campaignId != null && !CAMPAIGNS.some((c) => c.id === b.campaignId && c.active)) refErrs.campaignId = [`Campaign with ID ${b.campaignId} was not found.`];
        if (b.businessUnitId != null && !BUSINESS_UNITS.some((u) => u.id === b.businessUnitId)) refErrs.businessUnitId = [`Business unit with ID ${b.businessUnitId} was not found.`];
        if (b.jobTypeId != null && !JOB_TYPES.some((t) => t.id === b.jobTypeId)) refErrs.jobTypeId = [`Job type with ID ${b.jobTypeId} was not found.`];
        if (Object.keys(refErrs).length) throw unprocessable(req, refErrs);
        const now = isoNow(state.now());
        const booking = s.bookings.insert(
          {
            id: s.seq.booking.next(),
            bookingProviderId: provider,
            source: b.source,
            name: b.name,
            address: b.address ? { street: b.address.street, unit: b.address.unit ?? null, city: b.address.city, state: b.address.state, zip: b.address.zip, country: b.address.country ?? 'USA' } : null,
            contacts: (b.contacts ?? []).map((c) => ({ type: c.type, value: c.value, memo: c.memo ?? null })),
            customerType: b.customerType ?? 'Residential',
            start: b.start ?? null,
            summary: b.summary,
            campaignId: b.campaignId ?? null,
            businessUnitId: b.businessUnitId ?? null,
            jobTypeId: b.jobTypeId ?? null,
            priority: b.priority ?? null,
            isFirstTimeClient: b.isFirstTimeClient,
            isSendConfirmationEmail: b.isSendConfirmationEmail ?? false,
            uploadedImages: b.uploadedImages ?? [],
            status: 'New',
            externalId: b.externalId,
            jobId: null,
            createdOn: now,
            modifiedOn: now,
          },
          state.now().getTime(),
        );
        return ok(renderBooking(booking));
      },
    }),
  ];
}

function newLocation(
  s: TenantStore,
  customerId: number,
  l: { name: string; address: AddressIn; customFields?: ReadonlyArray<{ typeId: number; value?: string | null | undefined }> | null | undefined; tagTypeIds?: number[] | null | undefined; externalData?: { applicationGuid: string; externalData: Array<{ key: string; value: string }> } | null | undefined },
  now: string,
): LocationRec {
  return {
    id: s.seq.location.next(),
    customerId,
    active: true,
    name: l.name,
    address: toAddress(l.address),
    customFields: customFieldsOf(l.customFields),
    createdOn: now,
    createdById: SERVICETITAN_SANDBOX.apiUserId,
    modifiedOn: now,
    mergedToId: null,
    zoneId: null,
    tagTypeIds: [...new Set(l.tagTypeIds ?? [])],
    externalData: externalDataIn(l.externalData),
    taxZoneId: null,
  };
}
