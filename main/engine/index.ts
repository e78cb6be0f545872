/** The Docker Engine adapter: `createEngine()` gives an EnginePort over the Docker Engine API. */
export { createEngine, DockerEngine, type EngineOptions } from './docker-engine';
export { DEFAULT_DOCKER_HOST } from './docker-host';
