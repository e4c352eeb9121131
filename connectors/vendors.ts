/**
 * The five vendor systems FieldGraph federates. The key is the stable, lower-case name used in
 * configuration, metrics, sandbox prefixes and global ids.
 */
export const VENDOR_KEYS = ['servicetitan', 'fieldnation', 'servicepower', 'sera', 'astea'] as const;

/** One of {@link VENDOR_KEYS}. */
export type VendorKey = (typeof VENDOR_KEYS)[number];

/** Human names of the vendors, for logs, docs and the sandbox index. */
export const VENDOR_TITLES: Record<VendorKey, string> = {
  servicetitan: 'ServiceTitan',
  fieldnation: 'Field Nation',
  servicepower: 'ServicePower',
  sera: 'Sera',
  astea: 'Astea Alliance',
};
