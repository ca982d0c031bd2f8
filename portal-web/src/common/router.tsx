import { type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * History routing for an app with a handful of pages. The page is a function
 * of `location.pathname`; links push history entries, Back and Forward work,
 * and a deep link (such as a task link from an email) renders its page.
 */
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** A page with work not saved asks before a link takes the person away (the modeler's edits). */
let leaveGuard: (() => boolean) | undefined;

/** Sets the question asked before following a link; answers the function that removes it. */
export function guardLeaving(mayLeave: () => boolean): () => void {
  leaveGuard = mayLeave;
  return () => {
    if (leaveGuard === mayLeave) leaveGuard = undefined;
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** Matches `/claims/:id`-style patterns; answers the named parts or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_all, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
}

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        if (leaveGuard && !leaveGuard()) return;
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
