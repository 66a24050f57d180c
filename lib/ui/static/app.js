// @ts-check
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { pollMs, useConnection, usePoll } from './api.js';
import { html, LoadError } from './components.js';
import { JobsView } from './jobs-view.js';
import { Samples } from './model.js';
import { SecretsView } from './secrets-view.js';
import { ServiceView } from './service-view.js';
import { ServicesView } from './services-view.js';

/** `#/`, `#/services/NAME`, `#/jobs`, `#/secrets`. */
function parseRoute(hash = location.hash) {
  const path = hash.replace(/^#/, '') || '/';
  const service = /^\/services\/(.+)$/.exec(path);
  if (service) return { view: 'service', name: decodeURIComponent(service[1]) };
  if (path === '/jobs') return { view: 'jobs' };
  if (path === '/secrets') return { view: 'secrets' };
  return { view: 'services' };
}

function useRoute() {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const onChange = () => setRoute(parseRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The banner people notice when the numbers on screen stop being live. */
function ConnectionBanner() {
  const connection = useConnection();
  if (connection.connected) return null;
  const since = connection.lastAnswerAt ? ` Showing what it said at ${new Date(connection.lastAnswerAt).toLocaleTimeString()}.` : '';
  return html`<div class="banner" role="alert" data-testid="disconnected">
    <strong>Disconnected</strong> from the Corral API: ${connection.reason ?? 'no answer'}. Retrying every second.${since}
  </div>`;
}

function LiveIndicator() {
  const { connected } = useConnection();
  return html`<span class=${`live ${connected ? 'live-on' : 'live-off'}`} data-testid="live">${connected ? 'Live' : 'Disconnected'}</span>`;
}

function App() {
  const route = useRoute();
  const services = usePoll('/services', 'services');
  const samples = useMemo(() => new Samples(), []);
  const [now, setNow] = useState(Date.now());
  const main = useRef(/** @type {HTMLElement | null} */ (null));

  // Every changed answer of /services is a sample of every service's counts: the charts' history.
  const list = services.data?.services;
  useEffect(() => {
    if (list) samples.record(list, Date.now());
    setNow(Date.now());
  }, [services.data]);
  // The charts scroll and times stay fresh even while nothing changes.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), pollMs);
    return () => clearInterval(timer);
  }, []);

  // Move focus to the new view's heading, as a page load would, for keyboard and screen-reader users.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector('h2')?.focus();
  }, [route.view, route.name]);

  const titles = { services: 'Services', service: route.name ?? '', jobs: 'Jobs', secrets: 'Secrets' };
  useEffect(() => {
    document.title = `${titles[/** @type {keyof titles} */ (route.view)]} · Corral`;
  }, [route.view, route.name]);

  const nav = [['#/', 'Services', route.view === 'services' || route.view === 'service'], ['#/jobs', 'Jobs', route.view === 'jobs'], ['#/secrets', 'Secrets', route.view === 'secrets']];
  return html`
    <a class="skip" href="#main" onClick=${(/** @type {Event} */ e) => { e.preventDefault(); main.current?.focus(); }}>Skip to content</a>
    <header class="top">
      <h1 class="brand"><a href="#/">Corral</a></h1>
      <nav aria-label="Sections"><ul>
        ${nav.map(([href, label, current]) => html`<li><a href=${href} aria-current=${current ? 'page' : undefined}>${label}</a></li>`)}
      </ul></nav>
      <${LiveIndicator} />
    </header>
    <${ConnectionBanner} />
    <main id="main" ref=${main} tabindex="-1">
      ${route.view === 'service'
        ? html`<${ServiceView} name=${route.name} services=${list} samples=${samples} now=${now} refresh=${services.refresh} />`
        : html`
          ${route.view !== 'service' && html`<h2 tabindex="-1" class="view-title">${titles[/** @type {keyof titles} */ (route.view)]}</h2>`}
          ${route.view === 'services' && html`<${LoadError} error=${list ? undefined : services.error} what="services" /><${ServicesView} services=${list} samples=${samples} />`}
          ${route.view === 'jobs' && html`<${JobsView} now=${now} />`}
          ${route.view === 'secrets' && html`<${SecretsView} services=${list} now=${now} />`}`}
    </main>`;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
