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

/** Whether the engine answers, where it was looked for, and what to do when it does not. */
export interface EngineStatus {
  reachable: boolean;
  endpoint: string;
  platform: Platform | null;
  error: ErrorInfo | null;
}
