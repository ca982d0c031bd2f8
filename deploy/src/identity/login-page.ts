import { FAVICON_DATA_URL } from '../web/favicon';

/** The issuer's sign-in page: plain HTML, labelled fields, usable by keyboard and on a phone. */
export function renderLoginPage(page: { action: string; clientId: string; username?: string; error?: string }): string {
  const error = page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Claims</title>
<link rel="icon" href="${FAVICON_DATA_URL}">
<style>
  body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1b1f23; margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: min(22rem, 90vw); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .6rem; margin-top: .3rem; font-size: 1rem; border: 1px solid #6a737d; border-radius: 4px; }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; background: #0b5cad; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus, input:focus { outline: 3px solid #f2a900; outline-offset: 1px; }
  .error { color: #a4000f; font-weight: 600; }
  .hint { color: #444d56; font-size: .9rem; }
</style>
</head>
<body>
<main>
  <h1>Sign in</h1>
  <p class="hint">Claims realm, for ${escapeHtml(page.clientId)}</p>
  ${error}
  <form method="post" action="${escapeHtml(page.action)}" autocomplete="on">
    <label for="username">Username</label>
    <input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(page.username ?? '')}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
