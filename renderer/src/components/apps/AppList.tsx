/** @jsxRuntime automatic */
/**
 * The apps, virtualized: only the rows in view (and a few around) are in the DOM, so a box
 * with 1,000 apps scrolls and filters as fast as one with ten. Rows vary in height with
 * their services and are measured as they render.
 */
import { useRef } from 'react';
import { measureElement, observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import type { AppView } from '../../../../main/api/types/app-view';
import { AppRow } from './AppRow';

/** A first guess at a row's height before it is measured. */
const estimate = (app: AppView) => 120 + 64 * app.services.length;

/**
 * The list's visible size, as the virtualizer observes it; a list not laid out yet (or
 * without its style sheet) reports no height, which would show no row at all, so the
 * window's height stands in until a real size is known.
 */
function observeRect(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: window.innerHeight || 800 }));
}

export function AppList({ apps }: { apps: AppView[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
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
    <div ref={scrollRef} className="app-list" data-testid="app-list">
      <div className="app-list-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="app-list-item"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            <AppRow app={apps[item.index]} />
          </div>
        ))}
      </div>
    </div>
  );
}
