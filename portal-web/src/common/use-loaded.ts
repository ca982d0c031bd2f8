import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './api';

/**
 * What a page shows, loaded again whenever `key` (its filters, say) changes.
 * While a load runs there is no value; an answer for a key the person has
 * since left is dropped, so a slow earlier load never replaces the one asked
 * for.
 */
export function useLoaded<T>(load: () => Promise<T>, key: string): { value?: T; error?: string } {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  useEffect(() => {
    setState({});
    let current = true;
    load().then(
      (value) => current && setState({ value }),
      (e: unknown) => current && setState({ error: messageOf(e) }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}
