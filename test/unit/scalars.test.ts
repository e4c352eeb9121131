/**
 * Custom scalars: strict parsing with clear BAD_USER_INPUT errors; outputs checked.
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar, DecimalScalar, EmailAddressScalar, PhoneNumberScalar } from '../../src/scalars.js';

function refusal(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphQLError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('DateTime', () => {
  it('reads RFC 3339 with a zone and normalises to UTC', () => {
    expect(DateTimeScalar.parseValue('2026-01-21T09:42:18Z')).toBe('2026-01-21T09:42:18Z');
    expect(DateTimeScalar.parseValue('2026-01-21T04:42:18-05:00')).toBe('2026-01-21T09:42:18Z');
    expect(DateTimeScalar.parseValue('2026-01-21T09:42:18.250Z')).toBe('2026-01-21T09:42:18.250Z');
  });

  it('refuses dates without a zone, impossible dates and other types', () => {
    for (const v of ['2026-01-21T09:42:18', '2026-02-30T00:00:00Z', '2026-01-21T25:00:00Z', '2026-01-21', 'yesterday', 1700000000]) {
      const e = refusal(() => DateTimeScalar.parseValue(v));
      expect(e.extensions.code).toBe('BAD_USER_INPUT');
      expect(e.message).toMatch(/DateTime cannot represent .*expected an RFC 3339 date-time/);
    }
  });

  it('serialises UTC strings and refuses anything else', () => {
    expect(DateTimeScalar.serialize('2026-01-21T09:42:18Z')).toBe('2026-01-21T09:42:18Z');
    expect(() => DateTimeScalar.serialize('2026-01-21T09:42:18+01:00')).toThrow(TypeError);
  });
});

describe('Date', () => {
  it('takes calendar days only', () => {
    expect(DateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
    for (const v of ['2027-02-29', '2026-13-01', '2026-1-1', '2026-01-01T00:00:00Z']) expect(refusal(() => DateScalar.parseValue(v)).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('Decimal', () => {
  const lit = (ast: ValueNode) => DecimalScalar.parseLiteral(ast, undefined);

  it('takes exact decimal strings and integers', () => {
    expect(DecimalScalar.parseValue('178.05')).toBe('178.05');
    expect(DecimalScalar.parseValue('-7')).toBe('-7');
    expect(DecimalScalar.parseValue(42)).toBe('42');
    expect(lit({ kind: Kind.STRING, value: '0.10' })).toBe('0.10');
    expect(lit({ kind: Kind.INT, value: '12' })).toBe('12');
  });

  it('refuses floats, exponents and junk, saying why', () => {
    expect(refusal(() => lit({ kind: Kind.FLOAT, value: '0.1' })).message).toMatch(/float literal would lose precision/);
    for (const v of [0.1, '1e3', '1.', '.5', '01', 'abc', '']) expect(refusal(() => DecimalScalar.parseValue(v)).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('EmailAddress and PhoneNumber', () => {
  it('check inputs strictly', () => {
    expect(EmailAddressScalar.parseValue('  alex.rivera@example.com ')).toBe('alex.rivera@example.com');
    for (const v of ['alex', 'a@b', 'a b@example.com', 'a@@example.com']) expect(refusal(() => EmailAddressScalar.parseValue(v)).extensions.code).toBe('BAD_USER_INPUT');
    expect(PhoneNumberScalar.parseValue('+14045550199')).toBe('+14045550199');
    for (const v of ['(404) 555-0199', '14045550199', '+0123456789']) expect(refusal(() => PhoneNumberScalar.parseValue(v)).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('pass on what a system holds, as documented', () => {
    expect(PhoneNumberScalar.serialize('(404) 555-0199 ext 2')).toBe('(404) 555-0199 ext 2');
    expect(EmailAddressScalar.serialize('AISHA.DAVIS@EXAMPLE.COM')).toBe('AISHA.DAVIS@EXAMPLE.COM');
    expect(() => PhoneNumberScalar.serialize('  ')).toThrow(TypeError);
  });
});
