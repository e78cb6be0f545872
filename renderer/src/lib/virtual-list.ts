/**
 * What a virtualized list of rows of varying height needs from @tanstack/react-virtual beyond
 * its defaults (`rowsOfVaryingHeight`, used by the Apps and Updates lists): rows in the very
 * first render, and no layout forced while React commits. The library's defaults read each new
 * row's height, and the list's size, as React attaches them, which made the browser lay the
 * page out once per row of the first screen; here sizes come from ResizeObservers, which
 * report after the browser's own layout, and the library writes the rows' positions straight
 * into the DOM from there, before the frame is painted (so a row whose estimate was off never
 * shows out of place).
 */
import { type Rect, type Virtualizer } from '@tanstack/react-virtual';

/**
 * The options of `useVirtualizer` for rows whose height varies, from a first guess at each
 * (`estimate`): a few rows beyond the view, sizes from ResizeObservers, the first render sized
 * to the window, and positions written by the library.
 */
export function rowsOfVaryingHeight(estimate: (index: number) => number) {
  return {
    estimateSize: estimate,
    overscan: 4,
    observeElementRect: observeRectOrWindow,
    measureElement: measureOr(estimate),
    initialRect: windowRect(),
    directDomUpdates: true,
  };
}

/**
 * The list's visible size. Until the first layout the window's size stands in (so the first
 * render already has the rows in view); from then on a ResizeObserver reports the list's own
 * size, after each layout, so nothing is read while the layout is out of date. A list without
 * a height (not laid out, or without its style sheet) keeps the window's height, which would
 * otherwise show no row at all.
 */
function observeRectOrWindow(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) {
  const element = instance.scrollElement;
  const win = instance.targetWindow;
  if (!element || !win) return;
  const report = (width: number, height: number) => cb({ width: Math.round(width), height: Math.round(height > 0 ? height : win.innerHeight || 800) });
  report(win.innerWidth, win.innerHeight);
  if (!win.ResizeObserver) return () => undefined;
  const observer = new win.ResizeObserver((entries) => {
    const box = entries[0]?.contentBoxSize?.[0];
    if (box) report(box.inlineSize, box.blockSize);
  });
  observer.observe(element, { box: 'content-box' });
  return () => observer.disconnect();
}

/** The window's size: what the list shows before its first layout (see observeRectOrWindow). */
function windowRect(): Rect {
  return { width: window.innerWidth, height: window.innerHeight || 800 };
}

/**
 * A row's height. Measured by the ResizeObserver the virtualizer puts on every row (after
 * layout, so nothing is forced); when React mounts a row, before any layout, its last known
 * height or else its estimate. A row not laid out measures 0: it keeps its estimate rather than
 * stack every row at one spot.
 */
function measureOr(estimate: (index: number) => number) {
  return (element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number => {
    const index = Number(element.getAttribute('data-index'));
    if (Number.isNaN(index)) return 0;
    const size = entry?.borderBoxSize?.[0]?.blockSize;
    if (size !== undefined && size > 0) return Math.round(size);
    return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? estimate(index);
  };
}
