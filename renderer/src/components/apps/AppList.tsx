/** @jsxRuntime automatic */
/**
 * The apps, virtualized: only the rows in view (and a few around) are in the DOM, so a box
 * with 1,000 apps scrolls and filters as fast as one with ten. Rows vary in height with
 * their services and are measured after the browser lays them out (lib/virtual-list.ts). As
 * cards, or one line per app (`table`).
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AppView } from '../../../../main/api/types/app-view';
import { rowsOfVaryingHeight } from '../../lib/virtual-list';
import type { AppsView } from '../../stores/ui-store';
import { AppLine } from './AppLine';
import { AppRow } from './AppRow';

/** A first guess at a row's height before it is measured. */
const ESTIMATES: Record<AppsView, (app: AppView) => number> = {
  cards: (app) => 64 + 44 * app.services.length,
  table: (app) => 36 + 18 * Math.max(0, app.services.length - 1),
};

export function AppList({ apps, view = 'cards' }: { apps: AppView[]; view?: AppsView }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // A row measured after the list shrank (its index past the end) keeps its 0.
  const estimate = (index: number) => (index < apps.length ? ESTIMATES[view](apps[index]) : 0);
  const virtualizer = useVirtualizer({
    count: apps.length,
    getScrollElement: () => scrollRef.current,
    getItemKey: (index) => apps[index].name,
    ...rowsOfVaryingHeight(estimate),
  });

  return (
    <>
      {view === 'table' ? (
        <div className="app-lines-head" aria-hidden="true">
          <span>App</span>
          <span>State</span>
          <span>Services</span>
          <span>Updates</span>
          <span />
        </div>
      ) : null}
      <div ref={scrollRef} className={`app-list view-${view}`} data-testid="app-list" data-view={view}>
        <div ref={virtualizer.containerRef} className="app-list-inner">
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="app-list-item"
            >
              {view === 'table' ? <AppLine app={apps[item.index]} /> : <AppRow app={apps[item.index]} />}
            </div>
          ))}
        </div>
      </div>
    </>
  );
}
