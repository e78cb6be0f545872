/**
 * The project both export tests start from: every setting docker-compose 1.29.2 also knows,
 * in each form the export writes for it, with `$` in environment values, commands, labels,
 * a health check, a logging option and a bind source, a profile that is not enabled, and
 * `network_mode: service:NAME`. The unit test loads it from memory
 * (test/unit/compose-export.test.ts), the integration test from a folder and gives the
 * export to 1.29.2 (test/integration/compose-export.test.ts).
 */
import type { ExportPin } from '../../main/core/compose/compose-export';

export const digest = (char: string) => `sha256:${char.repeat(64)}`;

export const SHOP = `
name: shop
services:
  web:
    image: "nginx:\${TAG:-1.27}"
    pull_policy: missing
    command: ["sh", "-c", "echo $$HOME \${GREETING} && exec nginx -g 'daemon off;'"]
    entrypoint: /docker-entrypoint.sh --verbose "two words"
    environment:
      PRICE: "5$$ or $\${PRICE}"
      FROM_VAR: \${GREETING}
      EMPTY: ""
      "NO": "no"
      TIME: "1:30"
      OCTAL: "0777"
    env_file: [./web.env]
    labels: [com.example.role=front, "com.example.cost=$$5"]
    ports:
      - "8080:80"
      - "127.0.0.1:9000:9000/udp"
      - "[::1]:5353:53/udp"
      - "127.0.0.1::7000"
      - 8600
      - {target: 443, published: "8443", protocol: tcp}
    volumes:
      - ./site:/usr/share/nginx/html:ro,z
      - ./conf:/etc/nginx/conf.d:rshared
      - ./$$data:/money
      - data:/data:ro
      - data:/nocopy:nocopy
      - /cache
      - {type: tmpfs, target: /scratch, tmpfs: {size: 64m}}
    tmpfs: ["/run", "/tmp:size=64m,mode=1777"]
    secrets: [token, {source: token, target: /etc/token}]
    configs: [{source: site, target: /etc/nginx/conf.d/site.conf}]
    networks:
      front:
        aliases: [www, shop]
      default:
      lan:
    depends_on:
      db: {condition: service_healthy}
      vpn: {condition: service_started}
    healthcheck:
      test: curl -f http://localhost/$$health
      interval: 1m30s
      timeout: 500ms
      retries: 3
      start_period: 1h2m3.5s
    restart: on-failure:5
    user: "1000:1000"
    working_dir: /app
    hostname: shop-web
    extra_hosts: ["db.local:10.0.0.5", "v6=::1", "multi.local=10.0.0.7,[::1]", "gateway:host-gateway"]
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: 3, tag: "$\${NAME}"}
    privileged: true
    read_only: true
    init: false
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    devices: [/dev/ttyUSB0, "/dev/ttyUSB1:/dev/ttyACM0:r"]
    security_opt: [no-new-privileges:true]
    sysctls: {net.core.somaxconn: 1024}
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: 40000}
    stop_signal: SIGINT
    stop_grace_period: 2d
    shm_size: 1000
    mem_limit: 1.5g
    cpus: 0.5
  db:
    image: postgres@${digest('d')}
    environment: [POSTGRES_DB=shop]
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 10s
    networks: [back]
    restart: unless-stopped
  vpn:
    image: ghcr.io/org/vpn:2
    healthcheck: {disable: true}
    networks: [back]
  sidecar:
    image: localhost:5000/tools/sidecar:dev
    network_mode: service:vpn
    command: []
  debugger:
    image: busybox
    profiles: [debug]
networks:
  front:
    name: shop-front
    labels: {com.example.net: front}
  back:
    internal: true
    driver_opts: {com.docker.network.bridge.name: br-back}
  lan:
    external: true
    name: site-lan
volumes:
  data:
    labels: [com.example.backup=nightly]
  archive:
    external: true
secrets:
  token:
    file: ./token.txt
configs:
  site:
    file: ./site.conf
`;

/** Files beside compose.yaml (by name). */
export const SHOP_FILES: Record<string, string> = { 'web.env': 'FROM_FILE=file value\n', 'token.txt': 's3cret\n', 'site.conf': 'server {}\n' };

/** The variables the project is loaded with (besides HOME). */
export const SHOP_VARIABLES = { GREETING: 'hello' };

/** Variables that an unescaped `$HOME`, `${PRICE}`, `$health` or `$data` in the exported file would pick up. */
export const HOSTILE_VARIABLES = { PRICE: 'evil', GREETING: 'evil', NAME: 'evil', data: 'evil', health: 'evil', TAG: 'evil' };

export const SHOP_PINS: Record<string, ExportPin> = {
  web: { reference: 'nginx:1.27', digest: digest('1') },
  db: { reference: `postgres@${digest('d')}`, digest: digest('d') },
  vpn: { reference: 'ghcr.io/org/vpn:2', digest: digest('3') },
  sidecar: { reference: 'localhost:5000/tools/sidecar:dev', digest: digest('4') },
};

/** The canonical image each service of SHOP has once exported with SHOP_PINS. */
export const SHOP_PINNED: Record<string, string> = {
  web: `docker.io/library/nginx:1.27@${digest('1')}`,
  db: `docker.io/library/postgres@${digest('d')}`,
  vpn: `ghcr.io/org/vpn:2@${digest('3')}`,
  sidecar: `localhost:5000/tools/sidecar:dev@${digest('4')}`,
};
