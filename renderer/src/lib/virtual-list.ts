/**
 * What a virtualized list of rows of varying height needs from @tanstack/react-virtual beyond
 * its defaults: a size while the list is not laid out yet, and a row's estimate while it
 * measures 0. The Apps and Updates lists both use them.
 */
import { measureElement, observeElementRect, type Rect, type Virtualizer } from '@tanstack/react-virtual';

/**
 * The list's visible size, as the virtualizer observes it; a list not laid out yet (or without
 * its style sheet) reports no height, which would show no row at all, so the window's height
 * stands in until a real size is known.
 */
export function observeRectOrWindow(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: window.innerHeight || 800 }));
}

/** A row's measured height; a row not laid out measures 0: keep its estimate rather than stack every row at one spot. */
export function measureOr(estimate: (index: number) => number) {
  return (element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number => {
    const size = measureElement(element, entry, instance);
    const index = Number(element.getAttribute('data-index'));
    return size > 0 || Number.isNaN(index) ? size : estimate(index);
  };
}
