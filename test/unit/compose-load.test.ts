/**
 * loadCompose: every supported key, in its short and long forms, to its normalized value.
 * (Errors are in compose-load-errors.test.ts; project-level rules in compose-project.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOME, load, service } from '../helpers/compose';

const DIGEST = `sha256:${'b'.repeat(64)}`;

test('a minimal service gets every field, with Compose defaults written out', () => {
  assert.deepEqual(service(''), {
    name: 'app',
    image: 'docker.io/library/nginx:latest',
    pullPolicy: null,
    command: null,
    entrypoint: null,
    environment: {},
    labels: {},
    ports: [],
    mounts: [],
    tmpfs: {},
    secrets: [],
    configs: [],
    networkMode: null,
    networks: { default: { aliases: [] } },
    dependsOn: {},
    healthcheck: null,
    restart: { policy: 'no', maxRetries: 0 },
    user: null,
    workingDir: null,
    hostname: null,
    extraHosts: {},
    logging: null,
    privileged: false,
    readOnly: false,
    init: null,
    capAdd: [],
    capDrop: [],
    devices: [],
    securityOpt: [],
    sysctls: {},
    ulimits: {},
    stopSignal: null,
    stopGracePeriodNs: null,
    shmSizeBytes: null,
    memoryLimitBytes: null,
    nanoCpus: null,
  });
});

test('image: canonical reference; a pin is kept', () => {
  const load1 = (image: string) => load(`services:\n  app:\n    image: ${image}\n`).services[0].image;
  assert.equal(load1('redis:7'), 'docker.io/library/redis:7');
  assert.equal(load1('ghcr.io/org/api:1.4'), 'ghcr.io/org/api:1.4');
  assert.equal(load1(`redis@${DIGEST}`), `docker.io/library/redis@${DIGEST}`);
  assert.equal(load1(`"localhost:5000/app:dev@${DIGEST}"`), `localhost:5000/app:dev@${DIGEST}`);
});

test('command and entrypoint: lists as they are, strings split as Compose splits them', () => {
  assert.deepEqual(service('command: bundle exec thin -p 3000').command, ['bundle', 'exec', 'thin', '-p', '3000']);
  assert.deepEqual(service('command: ["bundle", "exec", "thin", "-p", "3000"]').command, ['bundle', 'exec', 'thin', '-p', '3000']);
  assert.deepEqual(service(`command: nginx -g "daemon off;"`).command, ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(service(`command: sh -c 'echo "$$HOME" && ls'`).command, ['sh', '-c', 'echo "$HOME" && ls']);
  assert.deepEqual(service(`command: echo a\\ b "" c\\"d`).command, ['echo', 'a b', '', 'c"d']);
  assert.deepEqual(service('command: ""').command, []);
  assert.deepEqual(service('entrypoint: /docker-entrypoint.sh --verbose').entrypoint, ['/docker-entrypoint.sh', '--verbose']);
  assert.deepEqual(service('entrypoint: ["/bin/sh", "-c"]').entrypoint, ['/bin/sh', '-c']);
  assert.deepEqual(service('entrypoint: []').entrypoint, []);
  assert.equal(service('command:').command, null);
});

test('environment: mapping and list; a name alone takes the project variable or is left out', () => {
  const options = { environment: { HOME, FROM_ENV: 'env-value' } };
  const expected = { A: '1', B: 'true', C: 'text', EMPTY: '', FROM_ENV: 'env-value' };
  assert.deepEqual(service('environment:\n  C: text\n  A: 1\n  B: true\n  EMPTY: ""\n  FROM_ENV:\n  UNSET:', options).environment, expected);
  assert.deepEqual(service('environment: [C=text, A=1, B=true, EMPTY=, FROM_ENV, UNSET]', options).environment, expected);
  assert.deepEqual(service('environment: ["EQ=a=b=c"]').environment, { EQ: 'a=b=c' });
});

test('env_file: string, list and long form; environment wins; required: false skips a missing file', () => {
  const files = {
    '/srv/shop/app.env': 'A=from-file\nB=from-file\nC=${A}-${SHARED}\n',
    '/srv/shop/more.env': 'B=more\nD=$B\n',
    [`${HOME}/secret.env`]: 'E=home\n',
  };
  const environment = { HOME, SHARED: 'shared' };
  assert.deepEqual(service('env_file: app.env', { files, environment }).environment, { A: 'from-file', B: 'from-file', C: 'from-file-shared' });
  assert.deepEqual(service('env_file: [./app.env, more.env, ~/secret.env]', { files, environment }).environment, { A: 'from-file', B: 'more', C: 'from-file-shared', D: 'more', E: 'home' });
  assert.deepEqual(
    service('env_file:\n  - path: ./app.env\n    required: true\n  - path: ./absent.env\n    required: false\nenvironment:\n  A: own\n  B:', { files, environment }).environment,
    { A: 'own', C: 'own-shared' },
    'the file is interpolated with the service environment; B named without a value and unset drops the file value',
  );
});

test('ports: short syntax (with ranges, IPs, protocols) and long syntax, sorted and unique', () => {
  const short = service('ports:\n  - "80:8080"\n  - "90:8090/udp"\n  - 8600\n  - "127.0.0.1:5000-5001:6000-6001"\n  - "[::1]:53:53/udp"\n  - "127.0.0.1::9000"\n  - "80:8080"').ports;
  assert.deepEqual(short, [
    { target: 53, published: 53, hostIp: '::1', protocol: 'udp' },
    { target: 6000, published: 5000, hostIp: '127.0.0.1', protocol: 'tcp' },
    { target: 6001, published: 5001, hostIp: '127.0.0.1', protocol: 'tcp' },
    { target: 8080, published: 80, hostIp: null, protocol: 'tcp' },
    { target: 8090, published: 90, hostIp: null, protocol: 'udp' },
    { target: 8600, published: null, hostIp: null, protocol: 'tcp' },
    { target: 9000, published: null, hostIp: '127.0.0.1', protocol: 'tcp' },
  ]);
  const long = service('ports:\n  - target: 80\n    published: 8080\n    protocol: tcp\n    mode: host\n  - target: "53"\n    published: "5353"\n    host_ip: 10.0.0.1\n    protocol: UDP\n  - target: 9090').ports;
  assert.deepEqual(long, [
    { target: 53, published: 5353, hostIp: '10.0.0.1', protocol: 'udp' },
    { target: 80, published: 8080, hostIp: null, protocol: 'tcp' },
    { target: 9090, published: null, hostIp: null, protocol: 'tcp' },
  ]);
  assert.deepEqual(service('ports: ["8080:80"]').ports, service('ports: [{target: 80, published: 8080}]').ports, 'short and long say the same');
});

test('volumes: named, anonymous, bind (relative, absolute, ~) and their options, short syntax', () => {
  const mounts = service('volumes:\n  - data:/var/lib/data:ro\n  - /cache\n  - ./site:/usr/share/nginx/html:ro,z\n  - ../shared/:/shared/\n  - ~/conf:/etc/app:rw,rshared\n  - /var/run/docker.sock:/var/run/docker.sock\n  - data:/nocopy:nocopy').mounts;
  assert.deepEqual(mounts, [
    { type: 'volume', source: null, target: '/cache', readOnly: false, noCopy: false, subpath: null },
    { type: 'bind', source: '/home/ops/conf', target: '/etc/app', readOnly: false, createHostPath: true, propagation: 'rshared', selinux: null },
    { type: 'volume', source: 'data', target: '/nocopy', readOnly: false, noCopy: true, subpath: null },
    { type: 'bind', source: '/srv/shared', target: '/shared', readOnly: false, createHostPath: true, propagation: null, selinux: null },
    { type: 'bind', source: '/srv/shop/site', target: '/usr/share/nginx/html', readOnly: true, createHostPath: true, propagation: null, selinux: 'z' },
    { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: true, noCopy: false, subpath: null },
    { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, createHostPath: true, propagation: null, selinux: null },
  ]);
});

test('volumes: long syntax for each type', () => {
  const mounts = service(
    [
      'volumes:',
      '  - type: volume',
      '    source: data',
      '    target: /data/',
      '    read_only: true',
      '    volume: {nocopy: true, subpath: sub/dir}',
      '  - type: bind',
      '    source: ./site',
      '    target: /site',
      '  - type: bind',
      '    source: /etc/ssl',
      '    target: /ssl',
      '    read_only: "true"',
      '    bind: {propagation: rslave, selinux: Z}',
      '  - type: bind',
      '    source: ./logs',
      '    target: /logs',
      '    bind: {create_host_path: false}',
      '  - type: tmpfs',
      '    target: /scratch',
      '    tmpfs: {size: 64m, mode: 01777}',
      '  - type: tmpfs',
      '    target: /t2',
      '    tmpfs: {size: 1024, mode: "755"}',
      '  - {type: volume, target: /anon}',
    ].join('\n'),
  ).mounts;
  assert.deepEqual(mounts, [
    { type: 'volume', source: null, target: '/anon', readOnly: false, noCopy: false, subpath: null },
    { type: 'volume', source: 'data', target: '/data', readOnly: true, noCopy: true, subpath: 'sub/dir' },
    { type: 'bind', source: '/srv/shop/logs', target: '/logs', readOnly: false, createHostPath: false, propagation: null, selinux: null },
    { type: 'tmpfs', target: '/scratch', readOnly: false, sizeBytes: 64 * 1024 * 1024, mode: 0o1777 },
    { type: 'bind', source: '/srv/shop/site', target: '/site', readOnly: false, createHostPath: false, propagation: null, selinux: null },
    { type: 'bind', source: '/etc/ssl', target: '/ssl', readOnly: true, createHostPath: true, propagation: 'rslave', selinux: 'Z' },
    { type: 'tmpfs', target: '/t2', readOnly: false, sizeBytes: 1024, mode: 0o755 },
  ]);
  const shortAndLong = [service('volumes: ["data:/data:ro"]').mounts, service('volumes: [{type: volume, source: data, target: /data, read_only: true}]').mounts];
  assert.deepEqual(shortAndLong[0], shortAndLong[1]);
});

test('tmpfs: a string or a list, with options', () => {
  assert.deepEqual(service('tmpfs: /run').tmpfs, { '/run': '' });
  assert.deepEqual(service('tmpfs:\n  - /tmp:size=64m,mode=1777\n  - /run/').tmpfs, { '/run': '', '/tmp': 'size=64m,mode=1777' });
});

test('secrets and configs: short and long references, mounted under /run/secrets and /', () => {
  const app = service('secrets:\n  - token\n  - source: token\n    target: /etc/token\n  - source: token\n    target: relative.txt\nconfigs:\n  - site\n  - source: site\n    target: /etc/nginx/conf.d/site.conf');
  assert.deepEqual(app.secrets, [
    { source: 'token', target: '/etc/token' },
    { source: 'token', target: '/run/secrets/relative.txt' },
    { source: 'token', target: '/run/secrets/token' },
  ]);
  assert.deepEqual(app.configs, [
    { source: 'site', target: '/etc/nginx/conf.d/site.conf' },
    { source: 'site', target: '/site' },
  ]);
});

test('networks: list and mapping with aliases; network_mode instead of networks', () => {
  const text = (networks: string) => `services:\n  app:\n    image: nginx\n    networks: ${networks}\nnetworks:\n  front:\n  back:\n`;
  assert.deepEqual(load(text('[front, back]')).services[0].networks, { back: { aliases: [] }, front: { aliases: [] } });
  assert.deepEqual(load(text('{front: {aliases: [www, web, www]}, back: }')).services[0].networks, { back: { aliases: [] }, front: { aliases: ['web', 'www'] } });
  for (const mode of ['host', 'none', 'bridge']) {
    const app = service(`network_mode: ${mode}`);
    assert.equal(app.networkMode, mode);
    assert.deepEqual(app.networks, {});
  }
});

test('depends_on: list and mapping with condition, required and restart', () => {
  const text = (dependsOn: string) => `services:\n  app:\n    image: nginx\n    depends_on: ${dependsOn}\n  db:\n    image: postgres\n  cache:\n    image: redis\n`;
  const app = (dependsOn: string) => load(text(dependsOn)).services.find((s) => s.name === 'app')?.dependsOn;
  assert.deepEqual(app('[db, cache]'), {
    cache: { condition: 'service_started', required: true, restart: false },
    db: { condition: 'service_started', required: true, restart: false },
  });
  assert.deepEqual(app('{db: {condition: service_healthy, restart: true}, cache: {condition: service_completed_successfully, required: false}}'), {
    cache: { condition: 'service_completed_successfully', required: false, restart: false },
    db: { condition: 'service_healthy', required: true, restart: true },
  });
  const shared = load('services:\n  app:\n    image: nginx\n    network_mode: service:vpn\n  vpn:\n    image: wireguard\n').services[0];
  assert.equal(shared.networkMode, 'service:vpn');
  assert.deepEqual(shared.dependsOn, { vpn: { condition: 'service_started', required: true, restart: true } }, 'network_mode: service: implies a dependency');
});

test('healthcheck: string test → CMD-SHELL, list test, durations in nanoseconds, disable', () => {
  assert.deepEqual(service('healthcheck:\n  test: curl -f http://localhost\n  interval: 1m30s\n  timeout: 10s\n  retries: 3\n  start_period: 40s\n  start_interval: 500ms').healthcheck, {
    test: ['CMD-SHELL', 'curl -f http://localhost'],
    intervalNs: 90e9,
    timeoutNs: 10e9,
    startPeriodNs: 40e9,
    startIntervalNs: 5e8,
    retries: 3,
  });
  assert.deepEqual(service('healthcheck:\n  test: ["CMD", "pg_isready", "-U", "postgres"]\n  interval: 1h2m3.5s').healthcheck, {
    test: ['CMD', 'pg_isready', '-U', 'postgres'],
    intervalNs: 3723.5e9,
    timeoutNs: null,
    startPeriodNs: null,
    startIntervalNs: null,
    retries: null,
  });
  const disabled = { test: ['NONE'], intervalNs: null, timeoutNs: null, startPeriodNs: null, startIntervalNs: null, retries: null };
  assert.deepEqual(service('healthcheck:\n  disable: true').healthcheck, disabled);
  assert.deepEqual(service('healthcheck:\n  test: ["NONE"]').healthcheck, disabled);
  assert.deepEqual(service('healthcheck:\n  interval: 2d').healthcheck?.intervalNs, 2 * 86400e9);
});

test('restart and pull_policy', () => {
  assert.deepEqual(service('restart: "no"').restart, { policy: 'no', maxRetries: 0 });
  assert.deepEqual(service('restart: always').restart, { policy: 'always', maxRetries: 0 });
  assert.deepEqual(service('restart: unless-stopped').restart, { policy: 'unless-stopped', maxRetries: 0 });
  assert.deepEqual(service('restart: on-failure:5').restart, { policy: 'on-failure', maxRetries: 5 });
  assert.equal(service('pull_policy: always').pullPolicy, 'always');
  assert.equal(service('pull_policy: missing').pullPolicy, 'if-not-present');
  assert.equal(service('pull_policy: if_not_present').pullPolicy, 'if-not-present');
  assert.equal(service('pull_policy: never').pullPolicy, 'never');
});

test('labels and sysctls: mapping and list', () => {
  const labels = { 'com.example.description': 'Accounting', 'com.example.empty': '', 'com.example.number': '42' };
  assert.deepEqual(service('labels:\n  com.example.number: 42\n  com.example.description: Accounting\n  com.example.empty:').labels, labels);
  assert.deepEqual(service('labels: [com.example.number=42, com.example.description=Accounting, com.example.empty]').labels, labels);
  const sysctls = { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' };
  assert.deepEqual(service('sysctls:\n  net.ipv4.tcp_syncookies: 0\n  net.core.somaxconn: 1024').sysctls, sysctls);
  assert.deepEqual(service('sysctls: [net.core.somaxconn=1024, net.ipv4.tcp_syncookies=0]').sysctls, sysctls);
});

test('devices: short and long syntax', () => {
  const devices = [
    { source: '/dev/ttyUSB1', target: '/dev/ttyACM0', permissions: 'rw' },
    { source: '/dev/ttyUSB0', target: '/dev/ttyUSB0', permissions: 'rwm' },
    { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' },
  ];
  assert.deepEqual(service('devices: [/dev/ttyUSB0, "/dev/ttyUSB1:/dev/ttyACM0:wr", "/dev/sda:/dev/xvda:r"]').devices, devices);
  assert.deepEqual(service('devices:\n  - source: /dev/ttyUSB0\n  - {source: /dev/ttyUSB1, target: /dev/ttyACM0, permissions: rw}\n  - {source: /dev/sda, target: /dev/xvda, permissions: r}').devices, devices);
});

test('extra_hosts: list (host:ip, host=ip, IPv6) and mapping', () => {
  const expected = { 'db.local': ['10.0.0.5'], gateway: ['host-gateway'], 'multi.local': ['10.0.0.7', '::1'], v6: ['::1'] };
  assert.deepEqual(service('extra_hosts: ["db.local:10.0.0.5", "v6=::1", "multi.local=10.0.0.7,[::1]", "gateway:host-gateway"]').extraHosts, expected);
  assert.deepEqual(service('extra_hosts:\n  db.local: 10.0.0.5\n  v6: "::1"\n  multi.local: [10.0.0.7, "[::1]"]\n  gateway: host-gateway').extraHosts, expected);
});

test('user, working_dir, hostname, privileged, read_only, init, stop_signal, stop_grace_period, shm_size', () => {
  const app = service('user: "1000:1000"\nworking_dir: /app/\nhostname: shop-app\nprivileged: true\nread_only: "yes"\ninit: false\nstop_signal: SIGINT\nstop_grace_period: 1m\nshm_size: 256m');
  assert.deepEqual(
    { user: app.user, workingDir: app.workingDir, hostname: app.hostname, privileged: app.privileged, readOnly: app.readOnly, init: app.init, stopSignal: app.stopSignal, stopGracePeriodNs: app.stopGracePeriodNs, shmSizeBytes: app.shmSizeBytes },
    { user: '1000:1000', workingDir: '/app', hostname: 'shop-app', privileged: true, readOnly: true, init: false, stopSignal: 'SIGINT', stopGracePeriodNs: 60e9, shmSizeBytes: 256 * 1024 ** 2 },
  );
  assert.equal(service('shm_size: 67108864').shmSizeBytes, 64 * 1024 ** 2);
});

test('logging, cap_add/cap_drop, security_opt, ulimits', () => {
  const app = service(
    'logging:\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: 3\ncap_add: [NET_ADMIN, sys_time, CAP_NET_ADMIN]\ncap_drop: [ALL]\nsecurity_opt: [no-new-privileges:true, apparmor=unconfined]\nulimits:\n  nproc: 65535\n  nofile:\n    soft: 20000\n    hard: 40000',
  );
  assert.deepEqual(app.logging, { driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
  assert.deepEqual(app.capAdd, ['CAP_NET_ADMIN', 'CAP_SYS_TIME']);
  assert.deepEqual(app.capDrop, ['ALL']);
  assert.deepEqual(app.securityOpt, ['apparmor=unconfined', 'no-new-privileges:true']);
  assert.deepEqual(app.ulimits, { nofile: { soft: 20000, hard: 40000 }, nproc: { soft: 65535, hard: 65535 } });
  assert.deepEqual(service('logging:\n  options:\n    tag: app').logging, { driver: null, options: { tag: 'app' } });
});

test('cpus and mem_limit, or the same under deploy.resources.limits', () => {
  const top = service('cpus: 0.5\nmem_limit: 512m');
  const deploy = service('deploy:\n  resources:\n    limits:\n      cpus: "0.5"\n      memory: 512M');
  const both = service('cpus: 0.5\nmem_limit: 536870912\ndeploy:\n  resources:\n    limits:\n      cpus: 0.50\n      memory: 512mb');
  for (const app of [top, deploy, both]) {
    assert.equal(app.nanoCpus, 5e8);
    assert.equal(app.memoryLimitBytes, 512 * 1024 ** 2);
  }
  assert.equal(service('cpus: 2').nanoCpus, 2e9);
  assert.equal(service('mem_limit: 1.5g').memoryLimitBytes, 1.5 * 1024 ** 3);
});

test('x- extensions are allowed at the top level and in services, networks and volumes, and change nothing', () => {
  const plain = load('services:\n  app:\n    image: nginx\n    networks: [front]\n    volumes: [data:/d]\nnetworks:\n  front:\nvolumes:\n  data:\n');
  const extended = load(
    'x-top: {anything: [1, 2]}\nservices:\n  app:\n    x-note: hello\n    image: nginx\n    networks: [front]\n    volumes: [data:/d]\nnetworks:\n  front:\n    x-owner: ops\nvolumes:\n  data:\n    x-backup: nightly\n',
  );
  assert.deepEqual(extended, plain);
});

test('anchors, aliases and merge keys (<<) work; the mapping\'s own keys win, then the merged maps in order', () => {
  const project = load(`
x-base: &base
  image: redis:7
  restart: always
  environment: &env
    A: base
    B: base
x-extra: &extra
  restart: on-failure:3
  user: "999"
services:
  one:
    <<: *base
    environment:
      <<: *env
      B: own
  two:
    <<: [*extra, *base]
    command: [redis-server, --save, ""]
  three: *base
`);
  const [one, three, two] = project.services;
  assert.deepEqual([one.name, three.name, two.name], ['one', 'three', 'two']);
  assert.equal(one.image, 'docker.io/library/redis:7');
  assert.deepEqual(one.environment, { A: 'base', B: 'own' });
  assert.deepEqual(one.restart, { policy: 'always', maxRetries: 0 });
  assert.deepEqual(two.restart, { policy: 'on-failure', maxRetries: 3 }, 'the first merged map wins');
  assert.equal(two.user, '999');
  assert.deepEqual(two.command, ['redis-server', '--save', '']);
  assert.deepEqual(three.environment, { A: 'base', B: 'base' });
});

test('interpolation reaches every value: image, ports, volumes, labels, healthcheck, and booleans and numbers as strings', () => {
  const environment = { HOME, TAG: '7.2', PORT: '6380', DATA: './redis-data', RO: 'true', RETRIES: '5', EVERY: '15s' };
  const project = load(
    'services:\n  cache:\n    image: "redis:${TAG}"\n    ports: ["${PORT}:6379", {target: 6379, published: "${PORT:-1}1"}]\n    volumes:\n      - type: bind\n        source: ${DATA}\n        target: /data\n        read_only: ${RO}\n    labels: {tag: "v$${TAG} is ${TAG}"}\n    healthcheck:\n      test: redis-cli ping\n      interval: ${EVERY}\n      retries: ${RETRIES}\n',
    { environment },
  );
  const cache = project.services[0];
  assert.equal(cache.image, 'docker.io/library/redis:7.2');
  assert.deepEqual(cache.ports, [
    { target: 6379, published: 6380, hostIp: null, protocol: 'tcp' },
    { target: 6379, published: 63801, hostIp: null, protocol: 'tcp' },
  ]);
  assert.deepEqual(cache.mounts, [{ type: 'bind', source: '/srv/shop/redis-data', target: '/data', readOnly: true, createHostPath: false, propagation: null, selinux: null }]);
  assert.deepEqual(cache.labels, { tag: 'v${TAG} is 7.2' });
  assert.equal(cache.healthcheck?.intervalNs, 15e9);
  assert.equal(cache.healthcheck?.retries, 5);
});

test('variables come from the environment, then --env-file files, else .env; ${VAR:-default} and ${VAR-default}', () => {
  const text = 'services:\n  app:\n    image: nginx\n    environment:\n      A: ${A}\n      B: ${B:-default-b}\n      C: ${C-default-c}\n      D: ${D:-default-d}\n';
  const files = { '/srv/shop/.env': 'A=dotenv\nB=dotenv\nC=\n', '/srv/shop/prod.env': 'A=prod\nD=prod\n', '/srv/shop/later.env': 'A=later\n' };
  const env = (options: Parameters<typeof load>[1]) => load(text, { files, ...options }).services[0].environment;
  assert.deepEqual(env({}), { A: 'dotenv', B: 'dotenv', C: '', D: 'default-d' });
  assert.deepEqual(env({ environment: { HOME, A: 'shell', C: 'shell' } }), { A: 'shell', B: 'dotenv', C: 'shell', D: 'default-d' });
  assert.deepEqual(env({ envFiles: ['/srv/shop/prod.env', '/srv/shop/later.env'] }), { A: 'later', B: 'default-b', C: 'default-c', D: 'prod' }, '.env is not read when --env-file is given');
});
