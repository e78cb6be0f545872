/** An image reference as Tagkeeper understands it, normalized the way Docker does. */
export interface ImageReference {
  /** Exactly what the user typed (trimmed). */
  input: string;
  /** Registry host: 'docker.io', 'localhost:5000', '[::1]:5000', 'ghcr.io' */
  domain: string;
  /** Repository path on the registry: 'library/ubuntu' */
  path: string;
  /** Tag; 'latest' when neither tag nor digest was given; null when only a digest was given. */
  tag: string | null;
  /** Pinned digest from '@sha256:…', or null. */
  digest: string | null;
  /** domain/path — 'docker.io/library/ubuntu' */
  repository: string;
  /** Fully normalized: 'docker.io/library/ubuntu:latest', 'docker.io/library/ubuntu:22.04@sha256:…', 'docker.io/library/ubuntu@sha256:…' */
  canonical: string;
  /** Docker's short form: 'ubuntu:latest', 'myuser/app:dev', 'localhost:5000/app:1' (FamiliarString) */
  familiar: string;
}
