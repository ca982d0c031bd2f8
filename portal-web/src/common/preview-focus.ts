import { type RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/** How long after a Tab key press a preview taking the focus counts as reached by the keyboard. */
const TAB_WINDOW_MS = 1000;

/**
 * Chromium's PDF viewer in an <object> takes the focus when it finishes loading, wherever the person
 * was at that moment (pressing Claim, typing in a form). The viewer is a frame of its own: the page sees
 * only its window losing the focus and the <object> becoming the active element, often with no focus
 * event on the <object>. A preview keeps only focus the person gave it: reached with Tab, or clicked
 * (the pointer is over it). Otherwise the focus goes back to the element that had it, or, when that
 * element is gone, leaves the preview so the page's own focus handling applies.
 */
export function usePreviewCannotTakeFocus(preview: RefObject<HTMLElement>): void {
  useEffect(() => {
    const element = preview.current;
    if (!element) return undefined;
    let lastTab = -Infinity;
    let lastFocused: Element | null = document.activeElement === element ? null : document.activeElement;
    const given = () => performance.now() - lastTab < TAB_WINDOW_MS || element.matches(':hover');
    const giveBack = () => {
      if (document.activeElement !== element || given()) return;
      if (lastFocused instanceof HTMLElement && lastFocused.isConnected && lastFocused !== document.body) {
        window.focus();
        lastFocused.focus({ preventScroll: true });
      } else {
        element.blur();
        window.focus();
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Tab') lastTab = performance.now();
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target === element) giveBack();
      else lastFocused = event.target as Element | null;
    };
    // The viewer's frame taking the focus shows as the page's window losing it; the active element is settled a moment later.
    const onWindowBlur = () => window.setTimeout(giveBack, 0);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn, true);
    window.addEventListener('blur', onWindowBlur);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn, true);
      window.removeEventListener('blur', onWindowBlur);
    };
  }, [preview]);
}
