// Problems in templates are config problems, at the line and column of the template's own
// characters, however the YAML string is written.
import { describe, expect, it } from 'vitest';
import { doc, problemsOf } from './helpers.js';

const hook = (...lines: string[]) => doc('hooks:', '  ops:', '    webhook:', ...lines);

describe('template problems', () => {
  it.each([
    [
      'in a quoted string',
      hook('      url: https://x.example', "      body: '{{monitor.nme}} is down'"),
      "config.yaml:5:16 hooks.ops.webhook.body: unknown variable 'monitor.nme' (did you mean 'monitor.name'?)",
    ],
    [
      'in a double-quoted string after an escape',
      hook('      url: https://x.example', '      body: "{\\"a\\": \\"{{stauts}}\\"}"'),
      "config.yaml:5:26 hooks.ops.webhook.body: unknown variable 'stauts' (did you mean 'status'?)",
    ],
    [
      'in a block string, on its third line',
      hook(
        '      url: https://x.example',
        '      body: |',
        '        {',
        '          "text": "{{title}}",',
        '          "x": "{{ping.outptu}}"',
        '        }',
      ),
      "config.yaml:8:19 hooks.ops.webhook.body: unknown variable 'ping.outptu' (did you mean 'ping.output'?)",
    ],
    [
      'left open',
      hook('      url: https://x.example', "      body: 'a {{status'"),
      'config.yaml:5:16 hooks.ops.webhook.body: unclosed \'{{\' (write {{ "{{" }} for literal braces)',
    ],
    [
      'in a URL',
      hook('      url: "https://x.example/{{monitor}}"'),
      "config.yaml:4:33 hooks.ops.webhook.url: unknown variable 'monitor' (known: event, status, previous_status, reason, at, deadline, last_ping_at, down_since, transition_id, monitor.slug, monitor.name, ping.at, ping.kind, ping.exit_status, ping.output, ping.duration_ms, ping.value, url, public_url, hook, test, title, message)",
    ],
    [
      'in a header value',
      hook('      url: https://x.example', '      headers: { X-Title: "{{titl}}" }'),
      "config.yaml:5:30 hooks.ops.webhook.headers.X-Title: unknown variable 'titl' (did you mean 'title'?)",
    ],
    [
      'in an event override',
      hook('      url: https://x.example', '      events:', '        up: { body: "{{evnt}}" }'),
      "config.yaml:6:24 hooks.ops.webhook.events.up.body: unknown variable 'evnt' (did you mean 'event'?)",
    ],
    [
      'in a preset title',
      doc('hooks:', '  ops:', '    ntfy:', '      topic: t', '      title: "{{monitor.nam}} down"'),
      "config.yaml:5:17 hooks.ops.ntfy.title: unknown variable 'monitor.nam' (did you mean 'monitor.name'?)",
    ],
  ])('are reported %s', (_where, text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });

  it('explain that a template starting with {{ must be quoted in YAML', () => {
    const text = hook('      url: https://x.example', '      body: {{title}}');
    expect(problemsOf(text)).toContain(
      "config.yaml:5:13 hooks.ops.webhook.body: expected a string, got a map (quote a template that starts with {{, like '{{title}}')",
    );
  });

  it('report a JSON body that is not JSON once filled in, at the body', () => {
    const text = hook('      url: https://x.example', '      body: \'{"text": {{title}}"}\'');
    const [problem, ...more] = problemsOf(text);
    expect(more).toEqual([]);
    expect(problem).toMatch(
      /^config\.yaml:5:13 hooks\.ops\.webhook\.body: the body is not valid JSON once filled in \(.+\); for another format set format: text or form$/,
    );
  });

  it('accept a body that is JSON only with its variables quoted by the template', () => {
    const text = hook(
      '      url: https://x.example',
      '      body: \'{"exit": {{ping.exit_status}}, "t": {{title}}}\'',
    );
    expect(problemsOf(text)).toEqual([]);
  });

  it('report a URL that is no URL once filled in', () => {
    expect(problemsOf(hook('      url: "{{url}}"'))).toEqual([
      'config.yaml:4:12 hooks.ops.webhook.url: invalid URL (write it like https://example.com/hook)',
    ]);
  });

  it('keep the line-break check of header values', () => {
    expect(
      problemsOf(hook('      url: https://x.example', '      headers:', '        X-A: "a\\nb"')),
    ).toEqual([
      'config.yaml:6:14 hooks.ops.webhook.headers.X-A: a header value must not contain a line break',
    ]);
  });
});
