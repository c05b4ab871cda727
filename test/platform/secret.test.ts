import { describe, expect, it } from 'vitest';
import { sameSecret, secretKey } from '../../src/platform/secret.js';

const API = 'api-token-0123456789abcdef';

describe('secrets', () => {
  it('compares tokens of any length without throwing', () => {
    expect(sameSecret('short', API)).toBe(false);
    expect(sameSecret(API, API)).toBe(true);
  });

  it('tells a secret from one that differs only in its last character or its length', () => {
    expect(sameSecret(`${API.slice(0, -1)}0`, API)).toBe(false);
    expect(sameSecret(`${API}0`, API)).toBe(false);
    expect(sameSecret('', API)).toBe(false);
  });

  it('keys a map by a digest that is the same for the same secret only', () => {
    expect(secretKey(API)).toBe(secretKey(API));
    expect(secretKey(API)).not.toBe(secretKey(`${API}x`));
    expect(secretKey(API)).not.toContain(API);
  });
});
