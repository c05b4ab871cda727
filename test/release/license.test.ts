// LICENSE is the license package.json declares, so the .deb's copyright file and the image's
// label say the same thing as the npm metadata.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('LICENSE', () => {
  it('holds the license package.json names', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    const text = readFileSync('LICENSE', 'utf8');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('Permission is hereby granted, free of charge');
    expect(readFileSync('scripts/release/deb/copyright', 'utf8')).toContain('License: Expat');
  });
});
