import { type FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Api } from '@claims/portal-web/common/api';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';

type ModelerModule = { ModelerPage: FunctionComponent<{ api: Api }> };

/**
 * The modeler (bpmn-js, dmn-js, form-js editor) is most of the staff app's
 * weight and only analysts use it, so it is a bundle of its own, loaded the
 * first time the page opens. The build lists its hashed URLs in the page.
 */
export function LazyModeler(props: { api: Api }) {
  const [module, setModule] = useState<ModelerModule>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadModeler().then(setModule, (e: unknown) => setError(`The modeler could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  if (error) return <ErrorMessage error={error} />;
  if (!module) return <Loading what="the modeler" />;
  return <module.ModelerPage api={props.api} />;
}

let loading: Promise<ModelerModule> | undefined;

function loadModeler(): Promise<ModelerModule> {
  loading ??= (async () => {
    const assets = JSON.parse(document.getElementById('lazy-assets')?.textContent ?? '{}') as Record<string, { js: string; css?: string }>;
    const entry = assets['modeler-page'];
    if (!entry) throw new Error('this build has no modeler');
    if (entry.css && !document.querySelector(`link[href="${entry.css}"]`)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = entry.css;
      document.head.append(link);
    }
    return (await import(/* a URL known at run time */ entry.js)) as ModelerModule;
  })();
  return loading;
}
