/**
 * Which keys of the Compose specification Tagkeeper reads, and why it refuses the others.
 * A key that is in the specification but not supported is refused with its reason (never
 * dropped); a key that is not in the specification at all is an unknown key, with a guess
 * at what was meant.
 */
import type { KeyRule } from './read-values';

const LATER: KeyRule = { refused: 'Tagkeeper does not handle it yet' };

function rules(supported: string[], refused: Record<string, KeyRule>, later: string[] = []): Record<string, KeyRule> {
  const table: Record<string, KeyRule> = {};
  for (const key of supported) table[key] = 'supported';
  for (const key of later) table[key] = LATER;
  return { ...table, ...refused };
}

export const TOP_LEVEL_KEYS = rules(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs'], {
  include: { refused: 'Tagkeeper reads one Compose file', hint: 'copy the included services into this file' },
}, ['models']);

const ONE_CONTAINER: KeyRule = {
  refused: 'Tagkeeper runs one container per service',
  hint: 'remove it; to run more copies, declare more services',
};

export const SERVICE_KEYS = rules(
  [
    'image', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'networks', 'network_mode',
    'depends_on', 'healthcheck', 'restart', 'labels', 'devices', 'privileged', 'cap_add', 'cap_drop', 'user',
    'working_dir', 'hostname', 'extra_hosts', 'logging', 'tmpfs', 'read_only', 'init', 'stop_signal',
    'stop_grace_period', 'shm_size', 'ulimits', 'sysctls', 'security_opt', 'mem_limit', 'cpus', 'deploy',
    'pull_policy', 'profiles', 'secrets', 'configs',
  ],
  {
    build: {
      refused: 'Tagkeeper runs images from a registry or a bundle',
      hint: 'build and push the image, then name it with image: (e.g. registry.example.com/api:1.4), or bring it in a bundle',
    },
    container_name: { refused: 'Tagkeeper names the containers of an app itself', hint: 'remove container_name' },
    extends: {
      refused: 'Tagkeeper reads one Compose file',
      hint: 'write the service out in full; YAML anchors and merge keys (<<: *base) work',
    },
    scale: ONE_CONTAINER,
    links: {
      refused: 'services reach each other by service name on the project network',
      hint: 'remove links and use the service name as the host name',
    },
    external_links: { refused: 'services reach each other by service name on the project network', hint: 'remove external_links' },
    develop: { refused: 'it is for `docker compose watch` while developing', hint: 'remove develop' },
  },
  [
    'annotations', 'attach', 'blkio_config', 'cgroup', 'cgroup_parent', 'cpu_count', 'cpu_percent', 'cpu_shares',
    'cpu_quota', 'cpu_period', 'cpu_rt_period', 'cpu_rt_runtime', 'cpuset', 'credential_spec', 'device_cgroup_rules',
    'dns', 'dns_opt', 'dns_search', 'domainname', 'label_file', 'expose', 'provider', 'gpus', 'group_add', 'ipc',
    'isolation', 'mac_address', 'mem_reservation', 'mem_swappiness', 'memswap_limit', 'models', 'oom_kill_disable',
    'oom_score_adj', 'pid', 'pids_limit', 'platform', 'post_start', 'pre_stop', 'pull_refresh_after', 'runtime',
    'stdin_open', 'storage_opt', 'tty', 'use_api_socket', 'uts', 'userns_mode', 'volumes_from',
  ],
);

export const NETWORK_KEYS = rules(['name', 'driver', 'driver_opts', 'external', 'internal', 'labels'], {}, ['ipam', 'attachable', 'enable_ipv4', 'enable_ipv6']);

export const VOLUME_KEYS = rules(['name', 'driver', 'driver_opts', 'external', 'labels'], {});

const SWARM_OBJECT: KeyRule = { refused: 'Tagkeeper mounts secrets and configs from files', hint: 'keep the value in a file and give it with file:' };

export const SECRET_KEYS = rules(['file', 'name'], {
  environment: SWARM_OBJECT,
  external: { refused: 'external secrets live in a Swarm', hint: 'keep the secret in a file and give it with file:' },
}, ['labels', 'driver', 'driver_opts', 'template_driver']);

export const CONFIG_KEYS = rules(['file', 'name'], {
  environment: SWARM_OBJECT,
  content: SWARM_OBJECT,
  external: { refused: 'external configs live in a Swarm', hint: 'keep the config in a file and give it with file:' },
}, ['labels', 'template_driver']);

export const PORT_KEYS = rules(['target', 'published', 'host_ip', 'protocol', 'mode'], {}, ['name', 'app_protocol']);

export const MOUNT_KEYS = rules(['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs'], {
  consistency: { refused: 'it has no effect on a Linux engine', hint: 'remove consistency' },
}, ['image']);
export const BIND_KEYS = rules(['propagation', 'create_host_path', 'selinux'], {}, ['recursive']);
export const VOLUME_MOUNT_KEYS = rules(['nocopy', 'subpath'], {}, ['labels']);
export const TMPFS_MOUNT_KEYS = rules(['size', 'mode'], {});

export const SERVICE_NETWORK_KEYS = rules(['aliases'], {}, [
  'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'driver_opts', 'priority', 'gw_priority', 'interface_name',
]);

export const DEPENDENCY_KEYS = rules(['condition', 'required', 'restart'], {});
export const HEALTHCHECK_KEYS = rules(['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'], {});
export const LOGGING_KEYS = rules(['driver', 'options'], {});

const SWARM_DEPLOY: KeyRule = { refused: 'it is a Swarm deployment setting', hint: 'remove it from deploy' };
export const DEPLOY_KEYS = rules(['resources'], {
  mode: SWARM_DEPLOY,
  replicas: ONE_CONTAINER,
  labels: { refused: 'it labels Swarm services', hint: 'use the service labels: instead' },
  update_config: SWARM_DEPLOY,
  rollback_config: SWARM_DEPLOY,
  restart_policy: { refused: 'Tagkeeper reads the restart policy from restart:', hint: 'use restart: (no, always, unless-stopped, on-failure[:N])' },
  placement: SWARM_DEPLOY,
  endpoint_mode: SWARM_DEPLOY,
});
export const RESOURCES_KEYS = rules(['limits'], {}, ['reservations']);
export const LIMITS_KEYS = rules(['cpus', 'memory'], {}, ['pids', 'devices']);

export const FILE_MOUNT_KEYS = rules(['source', 'target'], {}, ['uid', 'gid', 'mode']);
export const DEVICE_KEYS = rules(['source', 'target', 'permissions'], {});
export const ULIMIT_KEYS = rules(['soft', 'hard'], {});
export const ENV_FILE_KEYS = rules(['path', 'required'], {}, ['format']);
