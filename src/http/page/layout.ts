// The page shell: one inline stylesheet, no script, a refresh without JavaScript.
import type { ReloadResult } from '../../engine/read-model.js';
import { formatExact } from './format.js';
import { html, raw, type Html } from './html.js';
import { STYLE } from './style.js';

export const REFRESH_SECONDS = 30;

export interface LayoutOptions {
  readonly title: string;
  readonly body: Html;
  readonly now: number;
  /** Lists and monitor pages refresh themselves; a form the user is typing in must not. */
  readonly refresh: boolean;
  /** Log out (only a cookie can be logged out of), log in (a public page, to get write access), or neither. */
  readonly account: 'logout' | 'login' | 'none';
  /** The last reload, when it failed: the running config is then not the file's. */
  readonly failedReload: ReloadResult | null;
}

/** On every page while it is so: a broken push to the config's repository must not go unseen. */
function reloadBanner(failed: ReloadResult): Html {
  return html`<div class="banner" role="alert">
    <strong>The running config is not the file's.</strong> The reload at ${formatExact(failed.at)}
    found problems in the config file, so overdue kept the config it had before. Run
    <code>overdue check</code> on the file (its log lists the problems too), fix it, and reload.
  </div>`;
}

export function layout(o: LayoutOptions): Html {
  const refresh = o.refresh ? html`<meta http-equiv="refresh" content="${REFRESH_SECONDS}" />` : '';
  const account =
    o.account === 'logout'
      ? html`<form method="post" action="/logout"><button type="submit">Log out</button></form>`
      : o.account === 'login'
        ? html`<a href="/login">Log in</a>`
        : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        ${refresh}
        <title>${o.title} · overdue</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">overdue</a><span class="spacer"></span>${account}
        </header>
        <main>${o.failedReload === null ? '' : reloadBanner(o.failedReload)}${o.body}</main>
        <footer>
          ${o.refresh ? `Refreshes every ${REFRESH_SECONDS} s · ` : ''}rendered at
          ${formatExact(o.now)}
        </footer>
      </body>
    </html> `;
}
