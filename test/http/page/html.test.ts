import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative } from '../../../src/http/page/format.js';
import { html, raw } from '../../../src/http/page/html.js';

describe('the html template', () => {
  it('escapes text in element content and in attributes', () => {
    const name = `"><img src=x onerror=alert(1)>'&`;
    expect(html`<a title="${name}">${name}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;</a>',
    );
  });

  it('keeps nested templates and joins arrays without escaping them twice', () => {
    const items = ['<a>', 'b'].map((t) => html`<li>${t}</li>`);
    expect(
      html`<ul>
        ${items}
      </ul>`.text.replace(/\s+/g, ''),
    ).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  it('renders nothing for null, undefined and booleans, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${true}${0}`.text).toBe('0');
  });

  it('passes raw markup through only when asked to', () => {
    expect(html`${raw('<b>')}${'<b>'}`.text).toBe('<b>&lt;b&gt;');
  });
});

describe('durations and relative times', () => {
  it.each([
    [250, '250 ms'],
    [1_500, '1.5s'],
    [9_960, '10s'],
    [12_340, '12.3s'],
    [45_000, '45s'],
    [59_970, '1m'],
    [90_000, '1m 30s'],
    [5_400_000, '1h 30m'],
    [3_600_000, '1h'],
    [86_400_000 + 7_200_000 + 60_000, '1d 2h'],
  ])('shows %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says ago for the past and in for the future', () => {
    expect(formatRelative(0, 300_000)).toBe('5m ago');
    expect(formatRelative(300_000, 0)).toBe('in 5m');
    expect(formatRelative(500, 0)).toBe('just now');
  });
});
