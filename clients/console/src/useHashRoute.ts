/** The page in the URL's hash (`#/conversas/<id>`, `#/fila`), so a reload or a link opens the same page. */
import { useCallback, useEffect, useState } from 'react';

export type Route = { page: 'conversas'; conversaId: string | null } | { page: 'fila' };

export function parseRoute(hash: string): Route {
  const [page, id] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'fila') return { page: 'fila' };
  return { page: 'conversas', conversaId: id ? decodeURIComponent(id) : null };
}

export function routeHash(route: Route): string {
  return route.page === 'fila' ? '#/fila' : route.conversaId ? `#/conversas/${encodeURIComponent(route.conversaId)}` : '#/conversas';
}

export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(globalThis.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(globalThis.location.hash));
    globalThis.addEventListener('hashchange', onChange);
    return () => globalThis.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    globalThis.location.hash = routeHash(next);
    setRoute(next);
  }, []);
  return [route, navigate];
}
