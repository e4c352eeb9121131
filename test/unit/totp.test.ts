import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, totp, verifyTotp } from '../../src/util/totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (the 6 low digits of the 8-digit vectors).
const SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vectors', () => {
    expect(SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totp(SECRET, 59_000)).toBe('287082');
    expect(totp(SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totp(SECRET, 1_234_567_890_000)).toBe('005924');
    expect(totp(SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('round-trips base32 and rejects bad digits', () => {
    expect(base32Decode(base32Encode(Buffer.from('fieldgraph'))).toString()).toBe('fieldgraph');
    expect(() => base32Decode('not base32!')).toThrow();
  });

  it('accepts one step of clock drift and nothing further', () => {
    const now = 1_700_000_000_000;
    expect(verifyTotp(SECRET, totp(SECRET, now - 30_000), now)).toBe(true);
    expect(verifyTotp(SECRET, totp(SECRET, now + 30_000), now)).toBe(true);
    expect(verifyTotp(SECRET, totp(SECRET, now - 120_000), now)).toBe(false);
    expect(verifyTotp(SECRET, '12345', now)).toBe(false);
  });
});
