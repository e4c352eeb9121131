import type { ExternalReferenceResolvers } from '../src/__generated__/graphql.js';
import { sourceSystemOf } from '../src/ids.js';

/** ExternalReference: a record ref; the vendor key becomes the SourceSystem enum value. */
export const ExternalReference: ExternalReferenceResolvers = {
  system: (ref) => sourceSystemOf(ref.system),
};
