// The login form: the token goes into an HttpOnly cookie, so the pages work without JavaScript.
import { html, type Html } from './html.js';

/** The form, or only the reason when no token is configured: a form nobody can use is noise. */
export function loginPage(next: string, error: string | null, canLogIn = true): Html {
  if (!canLogIn)
    return html`<div class="card login">
      <h1>Log in</h1>
      ${error === null ? '' : html`<p class="error" role="alert">${error}</p>`}
    </div>`;
  return html`<form class="card login" method="post" action="/login">
    <h1>Log in</h1>
    <p class="muted small">
      Enter the <code>server.api-token</code> (to read and pause) or the
      <code>server.read-token</code> (to read) from the config.
    </p>
    ${error === null ? '' : html`<p class="error" role="alert">${error}</p>`}
    <label for="token">Token</label>
    <input
      id="token"
      name="token"
      type="password"
      autocomplete="current-password"
      required
      autofocus
    />
    <input type="hidden" name="next" value="${next}" />
    <p><button class="primary" type="submit">Log in</button></p>
  </form>`;
}

/** A short page for a refused or failed action, with the way back. */
export function messagePage(title: string, message: string, back: string): Html {
  return html`<div class="card empty">
    <h1>${title}</h1>
    <p>${message}</p>
    <p><a href="${back}">Back</a></p>
  </div>`;
}

/** A page that loads `path` again at once, this time as a same-site navigation. */
export function sameSiteReload(path: string): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="${`0;url=${path}`}" />
        <title>overdue</title>
      </head>
      <body>
        <a href="${path}">Continue</a>
      </body>
    </html>`;
}
