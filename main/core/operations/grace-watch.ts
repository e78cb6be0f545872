/**
 * The watch after a switch: every container the switch started must prove it stays up before
 * the switch counts as done (and the old containers are removed).
 *
 * - One with a health check (its image's or the service's) proves it by reporting `healthy`:
 *   its watch ends then, however short the start-grace period. If it is still `starting` at
 *   the end of the grace period, the watch waits up to HEALTH_WAIT_MS more for it.
 * - One without a health check proves it by staying up for the start-grace period
 *   (`settings set start-grace`, TAGKEEPER_START_GRACE_MS for the tests).
 * - A one-shot job (`finishing`: another service waits for it with
 *   `service_completed_successfully`) may instead have exited with code 0: its job is done.
 *
 * While any container is still unproven, every container of the switch is looked at — also
 * the ones already proven and those it kept running as they were (`started: false`, nothing
 * to prove): if one exits, is restarted by the engine's restart policy (a new start time),
 * disappears or turns unhealthy, the switch fails and the app goes back. Time comes from deps
 * (now, sleep), so the watch is tested with a fake clock, without waiting.
 */
import type { CoreDeps } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import type { ErrorInfo } from '../../api/errors';

/** A container with a health check still `starting` this long after the grace period has failed it. */
export const HEALTH_WAIT_MS = 60_000;

/** How often the containers are looked at while only the grace period runs. */
const POLL_MS = 250;
/** … and while a health check is awaited: it ends the watch, so it is noticed sooner. */
const HEALTH_POLL_MS = 100;

export interface WatchedContainer {
  service: string;
  containerId: string;
  /** false: it was running before the switch and was left as it was (watched for failures only). Default true. */
  started?: boolean;
}

/** null when every started container proved itself; otherwise why the switch failed. */
export async function watchGrace(
  deps: Pick<CoreDeps, 'engine' | 'store' | 'now' | 'sleep' | 'startGraceMs'>,
  app: string,
  containers: WatchedContainer[],
  finishing: ReadonlySet<string> = new Set(),
): Promise<ErrorInfo | null> {
  const firstStart = new Map<string, string | null>();
  const graceMs = startGraceMs(deps);
  const clock = () => deps.now().getTime();
  const began = clock();
  for (;;) {
    let awaitingHealth: string | null = null;
    let awaitingGrace = false;
    // All looked at together: the watch ends on the first look after the last one proved itself.
    const infos = await Promise.all(containers.map((c) => deps.engine.inspectContainer(c.containerId)));
    for (const [i, { service, containerId, started = true }] of containers.entries()) {
      const info = infos[i];
      if (info && finishing.has(service) && info.status === 'exited' && info.exitCode === 0) continue;
      if (info && !firstStart.has(containerId)) firstStart.set(containerId, info.startedAt);
      const failure = failureOf(info, firstStart.get(containerId));
      if (failure) return failedStart(app, service, `${failure} right after it started`);
      if (!started || info!.health === 'healthy') continue;
      if (info!.health === 'starting') awaitingHealth ??= service;
      else awaitingGrace = true;
    }
    const elapsed = clock() - began;
    if (awaitingHealth === null && (!awaitingGrace || elapsed >= graceMs)) return null;
    if (awaitingHealth !== null && elapsed >= graceMs + HEALTH_WAIT_MS) {
      return failedStart(app, awaitingHealth, `did not report healthy within ${Math.round((graceMs + HEALTH_WAIT_MS) / 1000)} s`);
    }
    const poll = awaitingHealth !== null ? HEALTH_POLL_MS : POLL_MS;
    const untilGrace = graceMs - elapsed;
    await deps.sleep(awaitingGrace && untilGrace > 0 ? Math.min(poll, untilGrace) : poll);
  }
}

/** What went wrong with a watched container, or null while it is up. */
function failureOf(info: ContainerInfo | null, firstStartedAt: string | null | undefined): string | null {
  if (!info) return 'disappeared';
  const restarted = info.startedAt !== firstStartedAt;
  if (info.status === 'running' && info.health !== 'unhealthy' && !restarted) return null;
  if (info.health === 'unhealthy') return 'failed its health check';
  if (restarted || info.status === 'restarting') return 'keeps restarting';
  return `exited with code ${info.exitCode ?? '?'}`;
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
