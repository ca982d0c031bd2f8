import { type RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/** How long the guard stays on after the viewer reports it loaded: its focus grab comes with the load, not later. */
const GUARD_AFTER_LOAD_MS = 10_000;
/** The guard's limit when the browser never reports a load (some viewers do not). */
const GUARD_AT_MOST_MS = 30_000;

/** Marks a preview whose focus the person gave it; the task page leaves such focus alone. */
export const FOCUS_GIVEN_ATTRIBUTE = 'data-focus-given';

/**
 * Chromium's PDF viewer in an <object> takes the focus when it finishes loading, wherever the person
 * was at that moment (pressing Claim, typing in a form). The viewer is a frame of its own: the page sees
 * only its window losing the focus and the <object> becoming the active element, often with no focus
 * event on the <object>. While the preview loads, it keeps only focus the person gave it: the Tab that
 * moved the focus onto it, or a click (the pointer is over it); otherwise the focus goes back to the
 * element that had it, or, when that element is gone, leaves the preview so the page's own focus
 * handling applies. Focus once given stays given, and the guard ends a while after the load, so a
 * keyboard or screen-reader user who enters the document later is never pushed out.
 */
export function usePreviewCannotTakeFocus(preview: RefObject<HTMLElement>, url: string): void {
  useEffect(() => {
    const target = preview.current;
    if (!target) return undefined;
    const element: HTMLElement = target;
    element.removeAttribute(FOCUS_GIVEN_ATTRIBUTE);
    // A Tab counts only until the focus change it causes: focus landing elsewhere first means it was not for the preview.
    let tabPending = false;
    let lastFocused: Element | null = document.activeElement === element ? null : document.activeElement;
    const accept = () => {
      element.setAttribute(FOCUS_GIVEN_ATTRIBUTE, '');
      stop();
    };
    const giveBack = () => {
      if (document.activeElement !== element) return;
      if (tabPending || element.matches(':hover')) {
        accept();
        return;
      }
      if (lastFocused instanceof HTMLElement && lastFocused.isConnected && lastFocused !== document.body) {
        window.focus();
        lastFocused.focus({ preventScroll: true });
      } else {
        element.blur();
        window.focus();
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Tab') tabPending = true;
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target === element) {
        giveBack();
        return;
      }
      tabPending = false;
      lastFocused = event.target as Element | null;
    };
    // The viewer's frame taking the focus shows as the page's window losing it; the active element is settled a moment later.
    const onWindowBlur = () => window.setTimeout(giveBack, 0);
    let stopAfterLoad: number | undefined;
    const onLoad = () => {
      window.clearTimeout(stopAfterLoad);
      stopAfterLoad = window.setTimeout(stop, GUARD_AFTER_LOAD_MS);
    };
    const stopAtMost = window.setTimeout(stop, GUARD_AT_MOST_MS);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn, true);
    window.addEventListener('blur', onWindowBlur);
    element.addEventListener('load', onLoad);
    function stop(): void {
      window.clearTimeout(stopAtMost);
      window.clearTimeout(stopAfterLoad);
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn, true);
      window.removeEventListener('blur', onWindowBlur);
      element.removeEventListener('load', onLoad);
    }
    return stop;
  }, [preview, url]);
}
