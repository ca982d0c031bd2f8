import { type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '@claims/portal-web/common/api';
import { ErrorMessage } from '@claims/portal-web/common/ui';

/**
 * A button whose action is asked about first: the question appears below it
 * with Confirm focused (Enter confirms, Escape or "Keep as is" goes back),
 * then "Working…" while it runs, then what came of it (`done`), said to
 * screen readers too. A page that reloads what the button sits in says the
 * outcome itself (`onDone`), so it outlives the button.
 */
export function ConfirmAction<T>(props: { label: string; question: ComponentChildren; confirmLabel?: string; run: () => Promise<T>; done?: (result: T) => string; onDone?: (result: T) => void; disabled?: boolean; children?: ComponentChildren }) {
  const [asking, setAsking] = useState(false);
  const [working, setWorking] = useState(false);
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<string>();
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  const go = async () => {
    setWorking(true);
    setError(undefined);
    try {
      const answer = await props.run();
      setResult(props.done?.(answer));
      setAsking(false);
      props.onDone?.(answer);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setWorking(false);
    }
  };
  const back = () => {
    setAsking(false);
    opener.current?.focus();
  };
  return (
    <div>
      <button type="button" ref={opener} class="secondary" disabled={props.disabled || working} aria-expanded={asking} onClick={() => { setResult(undefined); setAsking(true); }}>{props.label}</button>
      {asking ? (
        <div class="confirm" role="group" aria-label={`Confirm: ${props.label}`} onKeyDown={(e) => e.key === 'Escape' && back()}>
          <p>{props.question}</p>
          {props.children}
          <div class="actions">
            <button type="button" ref={confirm} disabled={working} onClick={() => void go()}>{working ? 'Working…' : (props.confirmLabel ?? props.label)}</button>
            <button type="button" class="secondary" disabled={working} onClick={back}>Keep as is</button>
          </div>
        </div>
      ) : null}
      <div role="status" aria-live="polite">{working ? <p>Working…</p> : result ? <p class="done-message">{result}</p> : null}</div>
      <ErrorMessage error={error} />
    </div>
  );
}
