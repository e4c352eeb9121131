/**
 * Each vendor's own words for statuses and priorities, as the generator writes them and the
 * simulators serve them. The connectors map these to canonical enums; these tables only describe
 * what the vendor APIs use.
 */

/** ServiceTitan (spec enums). */
export const ST = {
  jobStatus: ['Scheduled', 'Dispatched', 'InProgress', 'Hold', 'Completed', 'Canceled'] as const,
  appointmentStatus: ['Scheduled', 'Dispatched', 'Working', 'Hold', 'Done', 'Canceled'] as const,
  assignmentStatus: ['Scheduled', 'Dispatched', 'Working', 'Done'] as const,
  priority: ['Low', 'Normal', 'High', 'Urgent'] as const,
  membershipStatus: ['Active', 'Suspended', 'Expired', 'Canceled', 'Deleted'] as const,
  /** Invoice `syncStatus`. */
  invoiceStatus: ['Pending', 'Posted', 'Exported'] as const,
};

/**
 * Field Nation work order statuses: `{id, name}`. Draft is 1 and Published 2 as in the vendor's
 * examples; the rest follow the documented lifecycle order.
 */
export const FN = {
  status: [
    { id: 1, name: 'Draft' },
    { id: 2, name: 'Published' },
    { id: 3, name: 'Routed' },
    { id: 4, name: 'Assigned' },
    { id: 5, name: 'Work Done' },
    { id: 6, name: 'Approved' },
    { id: 7, name: 'Paid' },
    { id: 8, name: 'Cancelled' },
  ] as const,
};

/** ServicePower (seed document). */
export const SP = {
  workOrderStatus: ['new', 'scheduled', 'dispatched', 'in_progress', 'completed', 'cancelled', 'on_hold'] as const,
  priority: ['low', 'normal', 'high', 'emergency'] as const,
  dispatchStatus: ['scheduled', 'dispatched', 'on_site', 'completed', 'cancelled'] as const,
  claimStatus: ['submitted', 'under_review', 'approved', 'rejected', 'paid'] as const,
};

/** Sera (seed document). */
export const SERA = {
  workOrderStatus: ['new', 'scheduled', 'dispatched', 'in_progress', 'on_hold', 'completed', 'cancelled'] as const,
  priority: ['low', 'normal', 'high', 'emergency'] as const,
  membershipStatus: ['active', 'lapsed', 'cancelled'] as const,
  invoiceStatus: ['draft', 'open', 'paid', 'void'] as const,
};

/** Astea Alliance (seed document). */
export const ASTEA = {
  workOrderStatus: ['open', 'scheduled', 'en_route', 'on_site', 'completed', 'cancelled'] as const,
  priority: ['low', 'medium', 'high', 'critical'] as const,
  assignmentStatus: ['scheduled', 'en_route', 'on_site', 'completed', 'cancelled'] as const,
  invoiceStatus: ['open', 'paid', 'void'] as const,
};
