/** @jsxRuntime automatic */
/**
 * The pending updates by app, virtualized like the Apps list: only the apps in view (and a
 * few around) are in the DOM, so a box with 300 pending updates scrolls and answers a click
 * as fast as one with three. Groups vary in height with their rows and are measured after the
 * browser lays them out (lib/virtual-list.ts).
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import { rowsOfVaryingHeight } from '../../lib/virtual-list';
import { AppUpdates } from './AppUpdates';

export function UpdateGroupList({ groups }: { groups: [string, PendingUpdateView[]][] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  /** A first guess at a group's height before it is measured: its header, the table's head, a line per update. */
  const estimate = (index: number) => 100 + 48 * (groups[index]?.[1].length ?? 1);
  const virtualizer = useVirtualizer({
    count: groups.length,
    getScrollElement: () => scrollRef.current,
    getItemKey: (index) => groups[index][0],
    ...rowsOfVaryingHeight(estimate),
  });

  return (
    <div ref={scrollRef} className="update-groups" data-testid="update-groups">
      <div ref={virtualizer.containerRef} className="update-groups-inner">
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="update-groups-item"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            <AppUpdates app={groups[item.index][0]} updates={groups[item.index][1]} />
          </div>
        ))}
      </div>
    </div>
  );
}
