/**
 * One container of the fake engine and its status machine, on the fake clock:
 * created → running (start) → exited (stop, or its scripted exit) → running (start again);
 * the engine's restart policy starts an exited one again at once (a new start time), as
 * `always`, `unless-stopped` and `on-failure` (a non-zero code, up to its retries) ask.
 * Its state is worked out when it is looked at, from the times of its starts.
 */
import type { ContainerHealth, ContainerStatus } from '../../main/api/types/engine';
import { FAKE_EPOCH } from './fake-clock';
import type { ContainerConfig, ContainerInfo, ContainerSpec } from '../../main/core/ports/engine-port';

/** What a container does once started, in ms after each start; scripted per image or per container name. */
export interface Behaviour {
  /** Its process ends with `code` this long after each start. */
  exit?: { afterMs: number; code: number };
  /**
   * Its health check reports `starting` until `afterMs`, then `status` (an image with a health
   * check of its own). Without it, a container whose config has a health check turns healthy
   * after the check's interval (30 s when none is given), as a passing check does; one without
   * a health check reports no health.
   */
  health?: { afterMs: number; status: 'healthy' | 'unhealthy' };
}

/** The exit code of a container stopped by the engine (SIGTERM). */
export const STOPPED_EXIT_CODE = 143;
const DEFAULT_HEALTH_INTERVAL_MS = 30_000;

export class FakeContainer {
  readonly id: string;
  name: string;
  readonly image: string;
  readonly labels: Record<string, string>;
  /** The settings it was created with, as given (what a real engine would report back). */
  readonly config: ContainerConfig;
  /** Chosen by the engine when it is first started (see FakeEngine.script). */
  behaviour: Behaviour;
  status: ContainerStatus = 'created';
  /** Fake-clock ms of its last start, and of its last exit. */
  startedMs: number | null = null;
  finishedMs: number | null = null;
  exitCode: number | null = null;
  /** Starts the restart policy made (not counting starts asked for). */
  restarts = 0;
  /** network_mode container:NAME: the id of the container NAME named when this one was created (the engine keeps the id). */
  networkOf: string | null = null;
  /** network_mode container:NAME: the id of the container whose network it joined when it last started. */
  joinedNetworkOf: string | null = null;

  constructor(id: string, spec: ContainerSpec, behaviour: Behaviour) {
    this.id = id;
    this.name = spec.name;
    this.image = spec.image;
    this.labels = { ...spec.labels };
    this.config = structuredClone(spec.config);
    this.behaviour = behaviour;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  start(now: number): void {
    this.status = 'running';
    this.startedMs = now;
  }

  /** Stopped by the engine (docker stop): no restart policy starts it again. */
  stop(now: number): void {
    this.settle(now);
    if (!this.running) return;
    this.status = 'exited';
    this.finishedMs = now;
    this.exitCode = STOPPED_EXIT_CODE;
  }

  /** Apply what happened up to `now`: scripted exits, and the restart policy's starts. */
  settle(now: number): void {
    const exit = this.behaviour.exit;
    while (this.running && exit && this.startedMs !== null && this.startedMs + exit.afterMs <= now) {
      const at = this.startedMs + exit.afterMs;
      this.status = 'exited';
      this.finishedMs = at;
      this.exitCode = exit.code;
      if (!this.restartsAfter(exit.code)) return;
      if (exit.afterMs <= 0) throw new Error(`fake container ${this.name}: a restart policy with an exit after 0 ms would restart forever`);
      this.restarts += 1;
      this.start(at);
    }
  }

  private restartsAfter(code: number): boolean {
    const { policy, maxRetries } = this.config.restart;
    if (policy === 'always' || policy === 'unless-stopped') return true;
    return policy === 'on-failure' && code !== 0 && (maxRetries === 0 || this.restarts < maxRetries);
  }

  /** Health as the engine reports it: null before the first start and without a health check. */
  health(now: number): ContainerHealth {
    if (this.startedMs === null) return null;
    const scripted = this.behaviour.health;
    const check = this.config.healthcheck;
    const hasCheck = check !== null && check.test !== null && check.test[0] !== 'NONE';
    if (!scripted && !hasCheck) return null;
    const after = scripted?.afterMs ?? (check?.intervalNs != null ? check.intervalNs / 1e6 : DEFAULT_HEALTH_INTERVAL_MS);
    // A stopped container keeps the last status its check reported.
    const at = this.running ? now : (this.finishedMs ?? now);
    if (at - this.startedMs < after) return 'starting';
    return scripted?.status ?? 'healthy';
  }

  info(now: number): ContainerInfo {
    this.settle(now);
    const iso = (ms: number | null) => (ms === null ? null : new Date(FAKE_EPOCH + ms).toISOString());
    return {
      id: this.id,
      name: this.name,
      imageId: this.image,
      labels: { ...this.labels },
      status: this.status,
      startedAt: iso(this.startedMs),
      finishedAt: iso(this.finishedMs),
      exitCode: this.status === 'exited' || this.status === 'dead' ? this.exitCode : null,
      health: this.health(now),
      config: structuredClone(this.config),
    };
  }
}
