/** What the engine reports, as the contract shows it. */
import type { ErrorInfo } from '../errors';

export interface Platform {
  os: string;
  /** GOARCH spelling: amd64, arm64, arm, 386, ppc64le, s390x, riscv64 … */
  architecture: string;
  variant?: string;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** Health status of a container that has a health check (null: it has none). */
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy' | null;

/** Whether the engine answers, where it was looked for and why there, and what to do when it does not. */
export interface EngineStatus {
  reachable: boolean;
  endpoint: string;
  /** Why this endpoint, as the docker CLI would choose it: `from DOCKER_CONTEXT=ctx`, `default socket`. */
  source: string;
  platform: Platform | null;
  /** Which engine answered (GET /info). */
  identity: EngineIdentity | null;
  error: ErrorInfo | null;
}

/**
 * Which engine this is, whatever the way to it (GET /info): its `ID` (Docker 23+: kept in its
 * data root; before: the host's trust key, shared by every engine of the box) with its data
 * root (`DockerRootDir`, which tells engines of one box apart), and its name (the host name).
 */
export interface EngineIdentity {
  /** Empty when the engine does not say (then nobody can tell two engines apart). */
  id: string;
  root: string;
  name: string;
}

/** The Docker Engine a data directory belongs to: recorded at first contact, so that no other engine shares its store. */
export interface RecordedEngine extends EngineIdentity {
  /** Where it was reached when recorded. */
  endpoint: string;
  recordedAt: string;
}

/** `engine:accept`: the data directory now belongs to the engine it reaches (`previous`: the one it belonged to). */
export interface EngineAcceptAnswer {
  engine: RecordedEngine;
  previous: RecordedEngine | null;
}
