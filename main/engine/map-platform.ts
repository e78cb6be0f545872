/**
 * Architecture spellings (uname, Debian, GOARCH) → the OCI/GOARCH platform Docker uses.
 */
import type { Platform } from '../api/types/engine';

const ARCHITECTURES: Readonly<Record<string, { architecture: string; variant?: string }>> = {
  x86_64: { architecture: 'amd64' },
  x86: { architecture: '386' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  aarch64: { architecture: 'arm64', variant: 'v8' },
  armv8l: { architecture: 'arm', variant: 'v8' },
  armv7l: { architecture: 'arm', variant: 'v7' },
  armv7: { architecture: 'arm', variant: 'v7' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armv6l: { architecture: 'arm', variant: 'v6' },
  armel: { architecture: 'arm', variant: 'v6' },
  armv5tel: { architecture: 'arm', variant: 'v5' },
  armv5l: { architecture: 'arm', variant: 'v5' },
  ppc64el: { architecture: 'ppc64le' },
  mips64el: { architecture: 'mips64le' },
  loongarch64: { architecture: 'loong64' },
};

/** `arch` in GOARCH spelling, with the variant the spelling implies (armv7l → arm v7). */
export function normalizeArchitecture(arch: string): { architecture: string; variant?: string } {
  const lower = arch.trim().toLowerCase();
  return ARCHITECTURES[lower] ?? { architecture: lower };
}

/**
 * The engine's platform from `/version` (`Os`, `Arch`: GOARCH) and, when known, `/info`'s
 * `Architecture` (uname -m), which carries the ARM variant GOARCH does not.
 */
export function enginePlatform(os: string, arch: string, unameMachine?: string): Platform {
  const { architecture, variant } = normalizeArchitecture(arch);
  const fromUname = unameMachine ? normalizeArchitecture(unameMachine) : undefined;
  let chosenVariant = variant;
  if (fromUname && fromUname.architecture === architecture && fromUname.variant) chosenVariant = fromUname.variant;
  if (architecture === 'arm64' && !chosenVariant) chosenVariant = 'v8';
  const platform: Platform = { os: os.toLowerCase(), architecture };
  if (chosenVariant) platform.variant = chosenVariant;
  return platform;
}

/** An image's platform as inspect reports it (already OCI spelling; normalized defensively). */
export function imagePlatform(os: string | undefined, arch: string | undefined, variant: string | undefined): Platform {
  const normalized = normalizeArchitecture(arch ?? '');
  const platform: Platform = { os: (os ?? '').toLowerCase(), architecture: normalized.architecture };
  if (variant) platform.variant = variant;
  return platform;
}
