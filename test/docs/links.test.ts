// Every relative link in the README and the pages under docs/ must lead somewhere: the file exists,
// and an #anchor names a heading of the target file as GitHub slugs it. The docs are split over
// many pages, so a renamed heading or a moved page would otherwise break links silently.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Link {
  readonly line: number;
  readonly target: string;
}

/** README.md, CONTRIBUTING.md when present, and every .md under docs/ (paths relative to ROOT). */
function documentationFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'].filter((f) => existsSync(join(ROOT, f)));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk('docs');
  return files;
}

/**
 * The lines of a markdown text outside fenced code blocks, with their 1-based numbers. A fence
 * opens with ``` or ~~~ (up to 3 spaces in) and closes with at least as many of the same character.
 */
function proseLines(markdown: string): { readonly line: number; readonly text: string }[] {
  const prose: { line: number; text: string }[] = [];
  let fence: string | null = null;
  const lines = markdown.split('\n');
  for (const [index, text] of lines.entries()) {
    if (fence === null) {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
      if (opening === undefined) prose.push({ line: index + 1, text });
      else fence = opening;
    } else {
      const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text)?.[1];
      if (closing !== undefined && closing[0] === fence[0] && closing.length >= fence.length) {
        fence = null;
      }
    }
  }
  return prose;
}

/** Inline code spans hold examples, not links: `[x](y)` inside backticks is left alone. */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length));
}

/** Inline links and images `[text](target "title")`, and reference definitions `[ref]: target`. */
function linksIn(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const prose = withoutCodeSpans(text);
    for (const match of prose.matchAll(/\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s()]+)/g)) {
      const target = match[1];
      if (target !== undefined) links.push({ line, target: target.replace(/^<|>$/g, '') });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(prose)?.[1];
    if (definition !== undefined) links.push({ line, target: definition.replace(/^<|>$/g, '') });
  }
  return links;
}

/**
 * GitHub's anchor for a heading: the heading's text (link targets, emphasis markers and backticks
 * dropped), lowercased, every character that is not a letter, digit, space, hyphen or underscore
 * removed, spaces turned into hyphens.
 */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a markdown text defines: its headings (repeats get -1, -2...) and <a id|name>. */
function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) {
      if (match[1] !== undefined) anchors.add(match[1]);
    }
  }
  return anchors;
}

const EXTERNAL = /^(?:https?:|mailto:)/i;

/**
 * Every broken relative link of the given files, as `file:line target: why`. `read` returns a
 * file's text, or null when there is no such file; paths are relative to the repository root.
 */
function brokenLinks(files: readonly string[], read: (path: string) => string | null): string[] {
  const broken: string[] = [];
  for (const file of files) {
    const markdown = read(file) ?? '';
    for (const { line, target } of linksIn(markdown)) {
      if (EXTERNAL.test(target)) continue;
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
      const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
      const where = `${file}:${line} ${target}`;
      const targetFile = pathPart === '' ? file : join(dirname(file), pathPart);
      const text = pathPart === '' ? markdown : read(targetFile);
      if (text === null) {
        broken.push(`${where}: no such file ${targetFile}`);
        continue;
      }
      // Anchors are checked in markdown files only (a source file's #L12 is GitHub's business).
      if (anchor === null || anchor === '' || !targetFile.endsWith('.md')) continue;
      if (!anchorsIn(text).has(anchor)) {
        broken.push(`${where}: no heading in ${targetFile} makes the anchor #${anchor}`);
      }
    }
  }
  return broken;
}

/** Reads a file (or says that a directory exists) under the repository root. */
function readFromDisk(path: string): string | null {
  const full = join(ROOT, path);
  if (!existsSync(full)) return null;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

describe('documentation links', () => {
  it('checks README.md and every page under docs/', () => {
    const files = documentationFiles();
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.startsWith('docs')).length).toBeGreaterThan(0);
  });

  it('resolves every relative link in README.md and docs/', () => {
    const broken = brokenLinks(documentationFiles(), readFromDisk);
    expect(broken, `broken links:\n${broken.join('\n')}`).toEqual([]);
  });

  it('links every page under docs/ from the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = new Set(linksIn(readme).map((l) => normalize(l.target.split('#')[0] ?? '')));
    const pages = documentationFiles().filter((f) => f.startsWith('docs'));
    const unlinked = pages.filter((page) => !linked.has(page));
    expect(unlinked, `docs pages the README does not link:\n${unlinked.join('\n')}`).toEqual([]);
  });

  it('makes anchors from headings the way GitHub does', () => {
    expect(slug('Install as a binary with systemd')).toBe('install-as-a-binary-with-systemd');
    expect(slug('Reporting jobs: `overdue exec` and `overdue ping`')).toBe(
      'reporting-jobs-overdue-exec-and-overdue-ping',
    );
    expect(slug('`auto-provision`')).toBe('auto-provision');
    expect(slug('Trying a hook: `overdue test-alert`')).toBe('trying-a-hook-overdue-test-alert');
    expect(slug('Read API, metrics, badges and health')).toBe('read-api-metrics-badges-and-health');
    expect(slug('Why "a few ms"? (and snake_case)')).toBe('why-a-few-ms-and-snake_case');
    expect(slug('A [linked](x.md) **bold** heading')).toBe('a-linked-bold-heading');
  });

  it('reports a missing file, a missing anchor and a missing same-page anchor, all at once', () => {
    const pages: Record<string, string> = {
      'README.md': [
        '# Start',
        'See [the page](docs/page.md#the-part), [gone](docs/gone.md),',
        '[nowhere](docs/page.md#no-such-part), [here](#start) and [not here](#elsewhere).',
        'Skipped: [web](https://example.com/x.md) [mail](mailto:a@example.com) `[code](no.md)`',
        '```md',
        '[fenced](not-checked.md)',
        '```',
      ].join('\n'),
      'docs/page.md': '# Page\n\n## The part\n\nBack to the [README](../README.md#start).\n',
    };
    const broken = brokenLinks(Object.keys(pages), (path) => pages[path] ?? null);
    expect(broken).toEqual([
      'README.md:2 docs/gone.md: no such file docs/gone.md',
      'README.md:3 docs/page.md#no-such-part: no heading in docs/page.md makes the anchor #no-such-part',
      'README.md:3 #elsewhere: no heading in README.md makes the anchor #elsewhere',
    ]);
  });
});
