/** @jsxRuntime automatic */
/**
 * A link to a route (`#/apps/web`): a plain click goes there through the UI store (the router
 * writes the URL); a click with a modifier (new tab, new window) is the browser's.
 */
import type { MouseEvent, ReactNode } from 'react';
import { routeHash, type Route } from '../lib/route';
import { useStores } from './StoresContext';

export interface RouteLinkProps {
  to: Route;
  className?: string;
  testId?: string;
  title?: string;
  current?: boolean;
  children: ReactNode;
}

export function RouteLink({ to, className, testId, title, current = false, children }: RouteLinkProps) {
  const { ui } = useStores();
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    ui.getState().go(to);
  };
  return (
    <a href={routeHash(to)} className={className} data-testid={testId} title={title} aria-current={current ? 'page' : undefined} onClick={go}>
      {children}
    </a>
  );
}
