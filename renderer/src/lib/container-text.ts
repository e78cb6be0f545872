/** A service's container in words, and whether it is cause for alarm given what the app should be doing. Pure. */
import type { AppState, ServiceView } from '../../../main/api/types/app-view';

/**
 * The container's state in words and tone: `bad` when it is not what the app should be doing
 * (an exited container of a running app), `quiet` when it is (a stopped app's container).
 */
export function containerText(service: Pick<ServiceView, 'containerStatus'>, appState: AppState): { text: string; tone: 'ok' | 'quiet' | 'bad' } {
  const status = service.containerStatus;
  if (status === 'running') return { text: 'running', tone: 'ok' };
  if (appState === 'stopped' && (status === 'exited' || status === 'created' || status === null)) return { text: status === null ? 'no container' : 'stopped', tone: 'quiet' };
  if (status === null) return { text: 'no container', tone: appState === 'creating' ? 'quiet' : 'bad' };
  if (status === 'exited' || status === 'dead' || status === 'missing' || status === 'restarting') return { text: status, tone: 'bad' };
  return { text: status, tone: 'quiet' };
}
