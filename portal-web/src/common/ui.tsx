import { type ComponentChildren } from 'preact';
import { type Session } from './auth';
import { Link } from './router';

export interface NavLink {
  readonly href: string;
  readonly label: string;
  readonly current: boolean;
}

/** The page frame: skip link, header with navigation and the person, then the page. */
export function Shell(props: { app: string; home: string; session: Session; nav: readonly NavLink[]; wide?: boolean; children: ComponentChildren }) {
  const person = props.session.person;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link href={props.home} class="brand">{props.app}</Link>
        <nav aria-label="Main">
          {props.nav.map((link) => (
            <Link key={link.href} href={link.href} aria-current={link.current ? 'page' : undefined}>{link.label}</Link>
          ))}
        </nav>
        <span class="who" title={person.roles.join(', ')}>{person.name}</span>
        <button type="button" class="quiet" onClick={() => void props.session.signOut()}>Sign out</button>
      </header>
      <main id="main" class={props.wide ? 'wide' : undefined} tabIndex={-1}>{props.children}</main>
    </>
  );
}

export function ErrorMessage(props: { error: string | undefined }) {
  return props.error ? <p class="error" role="alert">{props.error}</p> : null;
}

export function Loading(props: { what: string }) {
  return <p class="loading" role="status">Loading {props.what}…</p>;
}

/** A page that cannot be shown: what happened in a sentence, and a way back. */
export function PageProblem(props: { title: string; message: string; back: { href: string; label: string } }) {
  return (
    <section class="card problem" aria-labelledby="problem-title">
      <h1 id="problem-title">{props.title}</h1>
      <p role="alert">{props.message}</p>
      <p><Link href={props.back.href} class="button">{props.back.label}</Link></p>
    </section>
  );
}
