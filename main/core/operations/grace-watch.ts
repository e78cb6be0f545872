/**
 * The grace period after a switch: the new containers must stay up (not exit, not turn
 * unhealthy, not be restarted by the engine) before the switch counts as done. Time comes
 * from deps (now, sleep), so the watch is tested with a fake clock, without waiting.
 */
import type { CoreDeps } from '../ports/deps';
import type { ErrorInfo } from '../../api/errors';

/** A container with a health check still `starting` this long after the grace period has failed it. */
export const HEALTH_WAIT_MS = 60_000;

/** How often the new containers are looked at during the grace period. */
const POLL_MS = 250;

/**
 * New containers must stay up for the grace period: not exit, not turn unhealthy, and not
 * be restarted by the engine's restart policy (a restart shows as a new start time). One
 * with a health check (its image's or the service's) must also report healthy, waiting
 * up to HEALTH_WAIT_MS more for it. The containers of `finishing` services (one-shot jobs
 * another service waits for with `service_completed_successfully`) may instead have exited
 * with code 0: that is their job done.
 */
export async function watchGrace(
  deps: Pick<CoreDeps, 'engine' | 'store' | 'now' | 'sleep' | 'startGraceMs'>,
  app: string,
  containers: { service: string; containerId: string }[],
  finishing: ReadonlySet<string> = new Set(),
): Promise<ErrorInfo | null> {
  const firstStart = new Map<string, string | null>();
  const graceMs = startGraceMs(deps);
  const clock = () => deps.now().getTime();
  const started = clock();
  for (;;) {
    let waitingForHealth = false;
    for (const { service, containerId } of containers) {
      const info = await deps.engine.inspectContainer(containerId);
      if (info && finishing.has(service) && info.status === 'exited' && info.exitCode === 0) continue;
      if (info && !firstStart.has(containerId)) firstStart.set(containerId, info.startedAt);
      const restarted = info !== null && info.startedAt !== firstStart.get(containerId);
      if (!info || info.status !== 'running' || info.health === 'unhealthy' || restarted) {
        const how = !info
          ? 'disappeared'
          : info.health === 'unhealthy'
            ? 'failed its health check'
            : restarted || info.status === 'restarting'
              ? 'keeps restarting'
              : `exited with code ${info.exitCode ?? '?'}`;
        return failedStart(app, service, `${how} right after it started`);
      }
      if (info.health === 'starting') waitingForHealth = true;
    }
    const elapsed = clock() - started;
    if (elapsed >= graceMs && !waitingForHealth) return null;
    if (elapsed >= graceMs + HEALTH_WAIT_MS) {
      const service = containers[0]?.service ?? '?';
      return failedStart(app, service, `did not report healthy within ${Math.round((graceMs + HEALTH_WAIT_MS) / 1000)} s`);
    }
    const untilGrace = graceMs - elapsed;
    await deps.sleep(untilGrace > 0 ? Math.min(POLL_MS, untilGrace) : POLL_MS);
  }
}

/** The grace period: TAGKEEPER_START_GRACE_MS when the shell set one (tests), else the device setting. */
function startGraceMs(deps: Pick<CoreDeps, 'store' | 'startGraceMs'>): number {
  return deps.startGraceMs ?? Math.round(deps.store.getSettings().startGraceSeconds * 1000);
}

function failedStart(app: string, service: string, what: string): ErrorInfo {
  return {
    code: 'container-failed',
    message: `service ${service} of app ${app} ${what}`,
    hint: "check the image's command, health check and the service settings; the app went back to its previous digests",
  };
}
