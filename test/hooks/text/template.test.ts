import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  isTemplateError,
  renderTemplate,
  type Escape,
  type Template,
  type TemplateError,
} from '../../../src/hooks/text/template.js';
import { sampleView, type TemplateView } from '../../../src/hooks/text/template-vars.js';

function compiled(source: string): Template {
  const t = compileTemplate(source);
  if (isTemplateError(t)) throw new Error(t.message);
  return t;
}

function problem(source: string): TemplateError {
  const t = compileTemplate(source);
  if (!isTemplateError(t)) throw new Error('compiled');
  return t;
}

const view: TemplateView = {
  ...sampleView,
  'monitor.name': 'Backup "db" \\ <x> & y',
  'ping.output': 'line 1\r\nline 2\ttab',
  'ping.exit_status': 3,
  'ping.value': null,
  deadline: null,
};
const render = (source: string, escape: Escape) => renderTemplate(compiled(source), view, escape);

describe('templates', () => {
  it('replace variables with their values, spaces inside the braces allowed', () => {
    expect(render('{{monitor.slug}} is {{ status }}', 'text')).toBe('nightly-backup is down');
  });

  it('write nothing for a null value in text', () => {
    expect(render('[{{deadline}}]', 'text')).toBe('[]');
  });

  it('write the default for a null or empty value', () => {
    const t = compiled('{{deadline | default: "none"}} {{ping.value|default:\'-\'}}');
    expect(renderTemplate(t, view, 'text')).toBe('none -');
    expect(renderTemplate(t, { ...view, deadline: '' }, 'text')).toBe('none -');
  });

  it('escape values inside JSON strings as string content', () => {
    const body = render('{"text": "{{monitor.name}}: {{ping.output}}"}', 'json');
    expect(JSON.parse(body)).toEqual({
      text: 'Backup "db" \\ <x> & y: line 1\r\nline 2\ttab',
    });
  });

  it('write values outside JSON strings as JSON values: numbers, null, quoted strings', () => {
    const body = render(
      '{"exit": {{ping.exit_status}}, "v": {{ping.value}}, "s": {{status}}}',
      'json',
    );
    expect(JSON.parse(body)).toEqual({ exit: 3, v: null, s: 'down' });
  });

  it('tell a quote inside a JSON string from one that ends it', () => {
    const body = render('{"a": "say \\"{{status}}\\"", "b": {{status}}}', 'json');
    expect(JSON.parse(body)).toEqual({ a: 'say "down"', b: 'down' });
  });

  it('percent-encode values in URLs and forms', () => {
    expect(render('https://x/?m={{monitor.name}}', 'url')).toBe(
      'https://x/?m=Backup%20%22db%22%20%5C%20%3Cx%3E%20%26%20y',
    );
    expect(render('text={{ping.output}}', 'form')).toBe('text=line%201%0D%0Aline%202%09tab');
  });

  it('keep header values on one line', () => {
    expect(render('{{ping.output}}', 'header')).toBe('line 1 line 2\ttab');
  });

  it('write literal braces from a quoted string', () => {
    expect(render('{{ "{{" }}status}} {{"}}"}}', 'text')).toBe('{{status}} }}');
  });

  it('leave single braces and a lone }} alone', () => {
    expect(render('{"a":{"b":1}} }}', 'json')).toBe('{"a":{"b":1}} }}');
  });

  it.each([
    ['{{monitor.nme}}', "unknown variable 'monitor.nme' (did you mean 'monitor.name'?)", 2],
    [
      '{{previous-status}}',
      "unknown variable 'previous-status' (did you mean 'previous_status'?)",
      2,
    ],
    ['a {{status', 'unclosed \'{{\' (write {{ "{{" }} for literal braces)', 2],
    [
      '{{status | upper}}',
      'unknown filter at \'upper}}\' (the only filter is | default: "text")',
      11,
    ],
    [
      '{{status | default: none}}',
      'expected a quoted default like "none" at \'none}}\' (write {{ "{{" }} for literal braces)',
      20,
    ],
    ['{{}}', 'expected a variable name at \'}}\' (write {{ "{{" }} for literal braces)', 2],
    ['{{status status}}', "expected '}}' at 'status}}' (write {{ \"{{\" }} for literal braces)", 9],
    ['{{ "abc }}', 'unterminated string in a template', 3],
  ])('report %s as a problem at its character', (source, message, index) => {
    expect(problem(source)).toEqual({ message, index });
  });

  it('list the variables when a name is nothing like one', () => {
    expect(problem('{{xyzzy}}').message).toMatch(
      /^unknown variable 'xyzzy' \(known: event, status, /,
    );
  });
});
