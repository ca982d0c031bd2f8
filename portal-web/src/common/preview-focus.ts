import { type RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/** How long after a Tab key press a preview taking the focus counts as reached by the keyboard. */
const TAB_WINDOW_MS = 1000;

/**
 * Chromium's PDF viewer in an <object> takes the focus when it finishes loading, wherever the person
 * was at that moment (pressing Claim, typing in a form). A preview keeps only focus the person gave it:
 * reached with Tab, or clicked (the pointer is over it). Otherwise the focus goes back to where it was,
 * or, when that element is gone, leaves the preview so the page's own focus handling applies.
 */
export function usePreviewCannotTakeFocus(preview: RefObject<HTMLElement>): void {
  useEffect(() => {
    const element = preview.current;
    if (!element) return undefined;
    let lastTab = -Infinity;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Tab') lastTab = performance.now();
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target !== element) return;
      const given = performance.now() - lastTab < TAB_WINDOW_MS || element.matches(':hover');
      if (given) return;
      const previous = event.relatedTarget;
      if (previous instanceof HTMLElement && previous.isConnected && previous !== element) previous.focus({ preventScroll: true });
      else element.blur();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn, true);
    };
  }, [preview]);
}
