/** @jsxRuntime automatic */
/**
 * The apps, virtualized: only the rows in view (and a few around) are in the DOM, so a box
 * with 1,000 apps scrolls and filters as fast as one with ten. Rows vary in height with
 * their services and are measured as they render. As cards, or one line per app (`table`).
 */
import { useRef } from 'react';
import { measureElement, observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import type { AppView } from '../../../../main/api/types/app-view';
import type { AppsView } from '../../stores/ui-store';
import { AppLine } from './AppLine';
import { AppRow } from './AppRow';

/** A first guess at a row's height before it is measured. */
const ESTIMATES: Record<AppsView, (app: AppView) => number> = {
  cards: (app) => 64 + 44 * app.services.length,
  table: (app) => 36 + 18 * Math.max(0, app.services.length - 1),
};

/**
 * The list's visible size, as the virtualizer observes it; a list not laid out yet (or
 * without its style sheet) reports no height, which would show no row at all, so the
 * window's height stands in until a real size is known.
 */
function observeRect(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: window.innerHeight || 800 }));
}

export function AppList({ apps, view = 'cards' }: { apps: AppView[]; view?: AppsView }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const estimate = ESTIMATES[view];
  const virtualizer = useVirtualizer({
    count: apps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimate(apps[index]),
    getItemKey: (index) => apps[index].name,
    overscan: 4,
    observeElementRect: observeRect,
    // A row not laid out measures 0: keep its estimate rather than stack every row at one spot.
    measureElement: (element, entry, instance) => {
      const size = measureElement(element, entry, instance);
      const app = apps[Number(element.getAttribute('data-index'))];
      return size > 0 || !app ? size : estimate(app);
    },
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
        <div className="app-list-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="app-list-item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {view === 'table' ? <AppLine app={apps[item.index]} /> : <AppRow app={apps[item.index]} />}
            </div>
          ))}
        </div>
      </div>
    </>
  );
}
