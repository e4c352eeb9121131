import { DateScalar, DateTimeScalar, DecimalScalar, EmailAddressScalar, PhoneNumberScalar } from '../src/scalars.js';

/** The custom scalars (parsing and serialising live in src/scalars.ts). */
export const scalars = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Decimal: DecimalScalar,
  EmailAddress: EmailAddressScalar,
  PhoneNumber: PhoneNumberScalar,
};
