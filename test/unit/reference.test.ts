/**
 * Image reference parsing. Most rows are the test cases of github.com/distribution/reference
 * (reference_test.go, normalize_test.go, regexp_test.go), translated to what Docker's
 * normalizing parser (ParseNormalizedNamed + the default tag) gives for them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byDigest, parseReference, registryReference } from '../../main/core/model/reference';
import { TagkeeperError } from '../../main/api/errors';

const F64 = 'f'.repeat(64);
const SHA_F = `sha256:${F64}`;
const SHA_BE = 'sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912';
const SHA_DB = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const SHA_86 = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
const SHA512_F = `sha512:${'f'.repeat(128)}`;
const HEX64 = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const LONG_PATH = `${'a/'.repeat(127)}a`; // 255 characters

/** [input, domain, path, tag, digest, familiar] */
type Valid = [string, string, string, string | null, string | null, string];

const VALID: Valid[] = [
  // reference_test.go TestReferenceParse (valid rows)
  ['test_com', 'docker.io', 'library/test_com', 'latest', null, 'test_com:latest'],
  ['test.com:tag', 'docker.io', 'library/test.com', 'tag', null, 'test.com:tag'],
  ['test.com:5000', 'docker.io', 'library/test.com', '5000', null, 'test.com:5000'],
  ['test.com/repo:tag', 'test.com', 'repo', 'tag', null, 'test.com/repo:tag'],
  ['test:5000/repo', 'test:5000', 'repo', 'latest', null, 'test:5000/repo:latest'],
  ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', null, 'test:5000/repo:tag'],
  [`test:5000/repo@${SHA_F}`, 'test:5000', 'repo', null, SHA_F, `test:5000/repo@${SHA_F}`],
  [`test:5000/repo:tag@${SHA_F}`, 'test:5000', 'repo', 'tag', SHA_F, `test:5000/repo:tag@${SHA_F}`],
  ['lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase', null, 'lowercase:Uppercase'],
  [`${LONG_PATH}:tag-puts-this-over-max`, 'docker.io', LONG_PATH, 'tag-puts-this-over-max', null, `${LONG_PATH}:tag-puts-this-over-max`],
  ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'bar/baz/quux', 'latest', null, 'sub-dom1.foo.com/bar/baz/quux:latest'],
  ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', null, 'sub-dom1.foo.com/bar/baz/quux:some-long-tag'],
  ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app', 'test.example.com', null, 'b.gcr.io/test.example.com/my-app:test.example.com'],
  ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', null, 'xn--n3h.com/myimage:xn--n3h.com'],
  [`xn--7o8h.com/myimage:xn--7o8h.com@${SHA512_F}`, 'xn--7o8h.com', 'myimage', 'xn--7o8h.com', SHA512_F, `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512_F}`],
  ['foo_bar.com:8080', 'docker.io', 'library/foo_bar.com', '8080', null, 'foo_bar.com:8080'],
  ['foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080', null, 'foo/foo_bar.com:8080'],
  ['192.168.1.1', 'docker.io', 'library/192.168.1.1', 'latest', null, '192.168.1.1:latest'],
  ['192.168.1.1:tag', 'docker.io', 'library/192.168.1.1', 'tag', null, '192.168.1.1:tag'],
  ['192.168.1.1:5000', 'docker.io', 'library/192.168.1.1', '5000', null, '192.168.1.1:5000'],
  ['192.168.1.1/repo', '192.168.1.1', 'repo', 'latest', null, '192.168.1.1/repo:latest'],
  ['192.168.1.1:5000/repo', '192.168.1.1:5000', 'repo', 'latest', null, '192.168.1.1:5000/repo:latest'],
  ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000', 'repo', '5050', null, '192.168.1.1:5000/repo:5050'],
  ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo', 'latest', null, '[2001:db8::1]/repo:latest'],
  ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]', 'repo', 'tag', null, '[2001:db8:1:2:3:4:5:6]/repo:tag'],
  ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'repo', 'latest', null, '[2001:db8::1]:5000/repo:latest'],
  ['[2001:db8::1]:5000/repo:tag', '[2001:db8::1]:5000', 'repo', 'tag', null, '[2001:db8::1]:5000/repo:tag'],
  [`[2001:db8::1]:5000/repo@${SHA_F}`, '[2001:db8::1]:5000', 'repo', null, SHA_F, `[2001:db8::1]:5000/repo@${SHA_F}`],
  [`[2001:db8::1]:5000/repo:tag@${SHA_F}`, '[2001:db8::1]:5000', 'repo', 'tag', SHA_F, `[2001:db8::1]:5000/repo:tag@${SHA_F}`],
  ['[2001:db8::]:5000/repo', '[2001:db8::]:5000', 'repo', 'latest', null, '[2001:db8::]:5000/repo:latest'],
  ['[::1]:5000/repo', '[::1]:5000', 'repo', 'latest', null, '[::1]:5000/repo:latest'],
  [`example.com/${'a'.repeat(255)}:tag`, 'example.com', 'a'.repeat(255), 'tag', null, `example.com/${'a'.repeat(255)}:tag`],
  // normalize_test.go TestValidateReferenceName / TestValidateRemoteName (valid names)
  ['docker/docker', 'docker.io', 'docker/docker', 'latest', null, 'docker/docker:latest'],
  ['library/debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['docker.io/docker/docker', 'docker.io', 'docker/docker', 'latest', null, 'docker/docker:latest'],
  ['docker.io/library/debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['docker.io/debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['index.docker.io/docker/docker', 'docker.io', 'docker/docker', 'latest', null, 'docker/docker:latest'],
  ['index.docker.io/library/debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['index.docker.io/debian', 'docker.io', 'library/debian', 'latest', null, 'debian:latest'],
  ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000', 'docker/docker', 'latest', null, '127.0.0.1:5000/docker/docker:latest'],
  ['127.0.0.1:5000/library/debian', '127.0.0.1:5000', 'library/debian', 'latest', null, '127.0.0.1:5000/library/debian:latest'],
  ['127.0.0.1:5000/debian', '127.0.0.1:5000', 'debian', 'latest', null, '127.0.0.1:5000/debian:latest'],
  ['192.168.0.1:80', 'docker.io', 'library/192.168.0.1', '80', null, '192.168.0.1:80'],
  ['192.168.0.1:8/debian', '192.168.0.1:8', 'debian', 'latest', null, '192.168.0.1:8/debian:latest'],
  ['192.168.0.2:25000/debian', '192.168.0.2:25000', 'debian', 'latest', null, '192.168.0.2:25000/debian:latest'],
  ['thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'docker.io', 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'latest', null, 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest'],
  ['[fc00::1]:5000/docker', '[fc00::1]:5000', 'docker', 'latest', null, '[fc00::1]:5000/docker:latest'],
  ['[fc00::1]:5000/docker/docker', '[fc00::1]:5000', 'docker/docker', 'latest', null, '[fc00::1]:5000/docker/docker:latest'],
  ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000', 'library/debian', 'latest', null, '[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest'],
  // With a host in front, a 64-hex name is not mistaken for an image ID.
  [`docker.io/${HEX64}`, 'docker.io', `library/${HEX64}`, 'latest', null, `${HEX64}:latest`],
  // An upper-case first component is taken as a registry host (Docker's rule).
  ['Docker/docker', 'Docker', 'docker', 'latest', null, 'Docker/docker:latest'],
  ['DOCKER/docker', 'DOCKER', 'docker', 'latest', null, 'DOCKER/docker:latest'],
  ['docker-rules/docker', 'docker.io', 'docker-rules/docker', 'latest', null, 'docker-rules/docker:latest'],
  ['docker---rules/docker', 'docker.io', 'docker---rules/docker', 'latest', null, 'docker---rules/docker:latest'],
  ['d/docker', 'docker.io', 'd/docker', 'latest', null, 'd/docker:latest'],
  ['jess/t', 'docker.io', 'jess/t', 'latest', null, 'jess/t:latest'],
  ['dock__er/docker', 'docker.io', 'dock__er/docker', 'latest', null, 'dock__er/docker:latest'],
  // normalize_test.go TestParseRepositoryInfo
  ['index.docker.io/fooo/bar', 'docker.io', 'fooo/bar', 'latest', null, 'fooo/bar:latest'],
  ['other/library', 'docker.io', 'other/library', 'latest', null, 'other/library:latest'],
  ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000', 'private/moonbase', 'latest', null, '127.0.0.1:8000/private/moonbase:latest'],
  ['example.com/privatebase', 'example.com', 'privatebase', 'latest', null, 'example.com/privatebase:latest'],
  ['example.com:8000/private/moonbase', 'example.com:8000', 'private/moonbase', 'latest', null, 'example.com:8000/private/moonbase:latest'],
  ['index.docker.io/library/ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base', 'latest', null, 'ubuntu-12.04-base:latest'],
  ['library/foo/bar', 'docker.io', 'library/foo/bar', 'latest', null, 'library/foo/bar:latest'],
  ['store/foo/bar', 'docker.io', 'store/foo/bar', 'latest', null, 'store/foo/bar:latest'],
  ['Foo/bar', 'Foo', 'bar', 'latest', null, 'Foo/bar:latest'],
  // normalize_test.go TestParseReferenceWithTagAndDigest and TestParseAnyReference
  [`busybox:latest@${SHA_86}`, 'docker.io', 'library/busybox', 'latest', SHA_86, `busybox:latest@${SHA_86}`],
  ['redis', 'docker.io', 'library/redis', 'latest', null, 'redis:latest'],
  [`redis@${SHA_DB}`, 'docker.io', 'library/redis', null, SHA_DB, `redis@${SHA_DB}`],
  [`docker.io/dmcgowan/myapp@${SHA_DB}`, 'docker.io', 'dmcgowan/myapp', null, SHA_DB, `dmcgowan/myapp@${SHA_DB}`],
  ['dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9', 'docker.io', 'library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9', 'latest', null, 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest'],
  ['dbcc1', 'docker.io', 'library/dbcc1', 'latest', null, 'dbcc1:latest'],
  // Docker reads "sha256:<hex>" as the image "sha256" with a 64-character tag.
  [SHA_DB, 'docker.io', 'library/sha256', SHA_DB.slice(7), null, SHA_DB],
  // normalize_test.go TestNormalizedSplitHostname
  ['test_com/foo', 'docker.io', 'test_com/foo', 'latest', null, 'test_com/foo:latest'],
  ['test-com:8080/foo', 'test-com:8080', 'foo', 'latest', null, 'test-com:8080/foo:latest'],
  ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo', 'latest', null, 'xn--n3h.com:18080/foo:latest'],
  ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar', 'latest', null, 'library/foo/bar:latest'],
  // regexp_test.go (full names, references, domains)
  ['a/a/a/a', 'docker.io', 'a/a/a/a', 'latest', null, 'a/a/a/a:latest'],
  ['aa-a/a', 'docker.io', 'aa-a/a', 'latest', null, 'aa-a/a:latest'],
  ['do__cker/docker', 'docker.io', 'do__cker/docker', 'latest', null, 'do__cker/docker:latest'],
  ['example.com/some_separator__underscore/myimage', 'example.com', 'some_separator__underscore/myimage', 'latest', null, 'example.com/some_separator__underscore/myimage:latest'],
  ['registry.io/foo/project--id.module--name.ver---sion--name', 'registry.io', 'foo/project--id.module--name.ver---sion--name', 'latest', null, 'registry.io/foo/project--id.module--name.ver---sion--name:latest'],
  ['Asdf.com/foo/bar', 'Asdf.com', 'foo/bar', 'latest', null, 'Asdf.com/foo/bar:latest'],
  [`registry.com:8080/myapp:tag2@${SHA_BE}`, 'registry.com:8080', 'myapp', 'tag2', SHA_BE, `registry.com:8080/myapp:tag2@${SHA_BE}`],
  [`localhost:8080@${SHA_BE}`, 'docker.io', 'library/localhost', '8080', SHA_BE, `localhost:8080@${SHA_BE}`],
  [`localhost:8080/name@${SHA_BE}`, 'localhost:8080', 'name', null, SHA_BE, `localhost:8080/name@${SHA_BE}`],
  [`localhost@${SHA_BE}`, 'docker.io', 'library/localhost', null, SHA_BE, `localhost@${SHA_BE}`],
  ['test.com:10304/repo', 'test.com:10304', 'repo', 'latest', null, 'test.com:10304/repo:latest'],
  ['a.b/repo', 'a.b', 'repo', 'latest', null, 'a.b/repo:latest'],
  ['ab.c-om/repo', 'ab.c-om', 'repo', 'latest', null, 'ab.c-om/repo:latest'],
  ['0101.com/repo', '0101.com', 'repo', 'latest', null, '0101.com/repo:latest'],
  ['b.gbc.io:443/repo', 'b.gbc.io:443', 'repo', 'latest', null, 'b.gbc.io:443/repo:latest'],
  ['[fd00:1:2::3]:75050/repo', '[fd00:1:2::3]:75050', 'repo', 'latest', null, '[fd00:1:2::3]:75050/repo:latest'],
  ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:5000/repo', '[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:5000', 'repo', 'latest', null, '[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:5000/repo:latest'],
  // Tagkeeper's own cases
  ['ubuntu', 'docker.io', 'library/ubuntu', 'latest', null, 'ubuntu:latest'],
  [`ubuntu:22.04@${SHA_DB}`, 'docker.io', 'library/ubuntu', '22.04', SHA_DB, `ubuntu:22.04@${SHA_DB}`],
  ['myuser/app:dev', 'docker.io', 'myuser/app', 'dev', null, 'myuser/app:dev'],
  ['localhost/app', 'localhost', 'app', 'latest', null, 'localhost/app:latest'],
  ['localhost:5000/app:1', 'localhost:5000', 'app', '1', null, 'localhost:5000/app:1'],
  ['localhost', 'docker.io', 'library/localhost', 'latest', null, 'localhost:latest'],
  ['ghcr.io/org/app:1.2', 'ghcr.io', 'org/app', '1.2', null, 'ghcr.io/org/app:1.2'],
  ['GHCR.IO/org/app', 'GHCR.IO', 'org/app', 'latest', null, 'GHCR.IO/org/app:latest'],
  ['registry.example.com/team/sub/app:v1_2-rc.3', 'registry.example.com', 'team/sub/app', 'v1_2-rc.3', null, 'registry.example.com/team/sub/app:v1_2-rc.3'],
  ['redis:_private', 'docker.io', 'library/redis', '_private', null, 'redis:_private'],
  [`redis:${'t'.repeat(128)}`, 'docker.io', 'library/redis', 't'.repeat(128), null, `redis:${'t'.repeat(128)}`],
  [`app@sha384:${'a'.repeat(96)}`, 'docker.io', 'library/app', null, `sha384:${'a'.repeat(96)}`, `app@sha384:${'a'.repeat(96)}`],
  ['  redis:7\n', 'docker.io', 'library/redis', '7', null, 'redis:7'],
];

/** [input, a fragment the reason must contain] */
const INVALID: [string, string][] = [
  // reference_test.go TestReferenceParse (error rows)
  ['', 'the reference is empty'],
  [':justtag', 'repository name is missing'],
  [`@${SHA_F}`, 'repository name is missing'],
  [`repo@sha256:${'f'.repeat(34)}`, 'has 34 hex characters, expected 64'],
  [`validname@invaliddigest:${F64}`, "digest algorithm 'invaliddigest' is not supported"],
  ['Uppercase:tag', 'repository name must be lowercase'],
  ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase'],
  [`domain/${'a'.repeat(256)}:tag`, 'repository name is longer than 255 characters (263)'],
  [`${'a/'.repeat(128)}a:tag`, 'repository name is longer than 255 characters (257)'],
  ['aa/asdf$$^/aa', "invalid character '$' at position 8"],
  ['[2001:db8::1]', "must be followed by '/' and a repository path"],
  ['[2001:db8::1]:5000', "must be followed by '/' and a repository path"],
  ['[2001:db8::1]:tag', "must be followed by '/' and a repository path"],
  ['[fe80::1%eth0]:5000/repo', "invalid character '%' at position 9"],
  ['[fe80::1%@invalidzone]:5000/repo', "invalid character '%'"],
  // normalize_test.go (invalid names)
  ['https://github.com/docker/docker', 'looks like a URL'],
  ['docker/Docker', 'repository name must be lowercase'],
  ['-docker', "component '-docker' must start and end with a lower-case letter or digit"],
  ['-docker/docker', "component '-docker' must start and end"],
  ['-docker.io/docker/docker', "registry host '-docker.io' has an invalid label '-docker'"],
  ['docker///docker', 'has an empty component'],
  ['docker.io/docker/Docker', 'repository name must be lowercase'],
  ['docker.io/docker///docker', 'has an empty component'],
  ['[fc00::1]', "must be followed by '/'"],
  ['[fc00::1]:5000', "must be followed by '/'"],
  ['fc00::1:5000/debian', "registry host 'fc00::1:5000' has an invalid port ':1:5000'"],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'is not a valid [IPv6] address'],
  [HEX64, 'is an image ID, not a repository name'],
  ['docker-/docker', "component 'docker-' must start and end"],
  ['-docker-/docker', 'must start and end'],
  ['____/____', "component '____' must start and end"],
  ['_docker/_docker', 'must start and end'],
  // A first component with a '.' is a registry host to Docker, so these fail as hosts...
  ['dock..er/docker', "registry host 'dock..er' has an empty label"],
  ['dock_.er/docker', "registry host 'dock_.er' has an invalid label 'dock_'"],
  ['dock-.er/docker', "invalid label 'dock-'"],
  // ...and as path components they fail on the separator.
  ['foo/dock..er', "component 'dock..er' has an invalid separator"],
  ['foo/dock_.er', "component 'dock_.er' has an invalid separator"],
  ['foo/dock-.er', "component 'dock-.er' has an invalid separator"],
  ['docker/', 'has an empty component'],
  [`${Array(4).fill('this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255').join('_')}/docker`, 'longer than 255 characters (278)'],
  // regexp_test.go (domains, names, references that must not match)
  ['test.com:http/repo', "has an invalid port 'http'"],
  ['-ab.com/repo', "invalid label '-ab'"],
  ['ab-.com/repo', "invalid label 'ab-'"],
  ['ab.-com/repo', "invalid label '-com'"],
  ['ab.com-/repo', "invalid label 'com-'"],
  ['[fd00:1:2::3]75050/repo', "must have ':' between ']' and the port"],
  ['[fd00:1:2::3]::75050/repo', "invalid port ':75050'"],
  ['a/a/a/a/', 'has an empty component'],
  ['a//a/a', 'has an empty component'],
  ['foo.com/', 'has an empty component'],
  ['a^a', "invalid character '^' at position 2"],
  ['a-/a/a/a', 'must start and end'],
  ['foo.com/a-/a/a', "component 'a-' must start and end"],
  ['foo/bar-', 'must start and end'],
  ['foo/-bar', 'must start and end'],
  ['foo_bar.com:8080/app', "invalid label 'foo_bar'"],
  ['example.com/__underscore/myimage', 'must start and end'],
  ['example.com/..dots/myimage', 'must start and end'],
  ['example.com/nodouble..dots/myimage', 'has an invalid separator'],
  ['docker./docker', 'has an empty label'],
  ['.docker/docker', 'has an empty label'],
  ['do__cker:8080/docker', "invalid label 'do__cker'"],
  ['Foo/FarB', 'repository name must be lowercase'],
  ['Foo_bar/x', 'repository name must be lowercase'],
  ['registry.com:8080/myapp@sha256:badbadbadbad', 'has 12 hex characters, expected 64'],
  ['registry.com:8080/myapp:invalid~tag', "invalid character '~'"],
  ['bad_hostname.com:8080/myapp:tag', "invalid label 'bad_hostname'"],
  [`localhost:http/name@${SHA_BE}`, "invalid port 'http'"],
  ['registry.com:8080/myapp@bad', 'has no algorithm'],
  ['registry.com:8080/myapp@2bad', 'has no algorithm'],
  ['7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C', 'repository name must be lowercase'],
  // Tagkeeper's own cases
  ['   ', 'the reference is empty'],
  ['ubuntu:', "the tag after ':' is empty"],
  ['ubuntu@', "the digest after '@' is empty"],
  [`redis:${'t'.repeat(129)}`, 'tag is longer than 128 characters (129)'],
  ['ubuntu:-foo', "tag '-foo' must start with a letter, a digit or '_'"],
  ['ubuntu:.foo', 'must start with a letter'],
  ['ubuntu:a+b', "may only contain letters, digits, '_', '.' and '-' (found '+')"],
  [`ubuntu@sha256:${'F'.repeat(64)}`, 'must use lower-case hex'],
  [`ubuntu@sha256:${'g'.repeat(64)}`, "non-hex character 'g'"],
  [`ubuntu@sha384:${'a'.repeat(64)}`, 'has 64 hex characters, expected 96'],
  [`ubuntu@sha512:${'a'.repeat(64)}`, 'has 64 hex characters, expected 128'],
  [`ubuntu@md5:${'a'.repeat(32)}`, "digest algorithm 'md5' is not supported"],
  [`ubuntu@sha256+b64:${'a'.repeat(64)}`, 'is not supported'],
  [`ubuntu@${SHA_F}@${SHA_F}`, "more than one '@'"],
  ['ubuntu :22.04', "invalid character ' ' at position 7"],
  ['ubuntu\t:1', 'invalid character U+0009 at position 7'],
  ['ub\u00fcntu', 'invalid character U+00FC at position 3'],
  ['foo/bar:1/baz', "unexpected ':' in repository path component 'bar:1'"],
  ['foo+bar', "unexpected '+' in repository path component 'foo+bar'"],
  ['MyUser/App', 'repository name must be lowercase'],
  ['a'.repeat(5000), 'longer than 255 characters'],
];

describe('parseReference: valid references', () => {
  for (const [input, domain, path, tag, digest, familiar] of VALID) {
    test(JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input), () => {
      const ref = parseReference(input);
      const suffix = (tag === null ? '' : `:${tag}`) + (digest === null ? '' : `@${digest}`);
      assert.deepEqual(ref, {
        input: input.trim(),
        domain,
        path,
        tag,
        digest,
        repository: `${domain}/${path}`,
        canonical: `${domain}/${path}${suffix}`,
        familiar,
      });
      // The canonical form and the familiar form both parse back to the same reference.
      assert.equal(parseReference(ref.canonical).canonical, ref.canonical);
      assert.equal(parseReference(ref.familiar).canonical, ref.canonical);
    });
  }
});

describe('parseReference: invalid references', () => {
  for (const [input, why] of INVALID) {
    test(JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input), () => {
      assert.throws(
        () => parseReference(input),
        (error: unknown) => {
          assert.ok(error instanceof TagkeeperError);
          assert.equal(error.code, 'invalid-reference');
          assert.match(error.message, /^".*" is not a valid image reference: /s);
          assert.ok(error.message.includes(why), `message ${JSON.stringify(error.message)} lacks ${JSON.stringify(why)}`);
          return true;
        },
      );
    });
  }
});

describe('parseReference: messages and canonical forms', () => {
  test('the message quotes the trimmed input and the hint shows the expected form', () => {
    assert.throws(() => parseReference('  Uppercase:tag '), (error: unknown) => {
      assert.ok(error instanceof TagkeeperError);
      assert.equal(error.message, '"Uppercase:tag" is not a valid image reference: repository name must be lowercase');
      assert.equal(error.hint, 'write it as name[:tag][@sha256:<64 hex>], e.g. redis:7 or ghcr.io/org/app:1.2');
      return true;
    });
  });

  test('a very long input is shortened in the message', () => {
    assert.throws(() => parseReference(`${'a'.repeat(4000)}!`), (error: unknown) => {
      assert.ok(error instanceof TagkeeperError);
      assert.ok(error.message.length < 400, `message is ${error.message.length} characters`);
      assert.ok(error.message.includes("invalid character '!' at position 4001"));
      return true;
    });
  });

  test('canonical forms are literal', () => {
    assert.equal(parseReference('ubuntu').canonical, 'docker.io/library/ubuntu:latest');
    assert.equal(parseReference(`ubuntu:22.04@${SHA_DB}`).canonical, `docker.io/library/ubuntu:22.04@${SHA_DB}`);
    assert.equal(parseReference(`ubuntu@${SHA_DB}`).canonical, `docker.io/library/ubuntu@${SHA_DB}`);
    assert.equal(parseReference('localhost:5000/app:1').canonical, 'localhost:5000/app:1');
    assert.equal(parseReference('[::1]:5000/app').canonical, '[::1]:5000/app:latest');
  });

  test('pathological inputs of 5000 characters are rejected (the parser does not backtrack badly)', () => {
    const inputs = [
      `${'a'.repeat(5000)}!`,
      `${'a-'.repeat(2500)}/x`,
      `${'a-'.repeat(2499)}a-`,
      `${'a_'.repeat(2500)}`,
      `example.com/${'a.'.repeat(2494)}`,
      `${'a.'.repeat(2499)}a-/x`,
      `${'a/'.repeat(2500)}`,
      `${'a'.repeat(4990)}:${'t'.repeat(10)}@`,
      `[${':'.repeat(4998)}x/a`,
    ];
    for (const input of inputs) {
      assert.throws(() => parseReference(input), { code: 'invalid-reference' }, input.slice(0, 40));
    }
  });

  test('a non-string input is rejected as a bad reference, not a crash', () => {
    assert.throws(() => parseReference(undefined as unknown as string), { code: 'invalid-reference' });
  });
});

describe('byDigest and registryReference', () => {
  test('byDigest names the repository by digest, dropping the tag', () => {
    assert.equal(byDigest(parseReference('redis:7'), SHA_DB), `docker.io/library/redis@${SHA_DB}`);
    assert.equal(byDigest({ repository: 'localhost:5000/app' }, SHA_F), `localhost:5000/app@${SHA_F}`);
  });

  test('byDigest rejects a malformed digest', () => {
    assert.throws(() => byDigest({ repository: 'x' }, 'sha256:abc'), {
      code: 'invalid-digest',
      message: 'sha256:abc is not a valid digest: digest sha256:abc has 3 hex characters, expected 64',
    });
  });

  test('registryReference uses the digest when pinned, else the tag', () => {
    assert.equal(registryReference(parseReference('redis')), 'latest');
    assert.equal(registryReference(parseReference('redis:7')), '7');
    assert.equal(registryReference(parseReference(`redis@${SHA_DB}`)), SHA_DB);
    assert.equal(registryReference(parseReference(`redis:7@${SHA_DB}`)), SHA_DB);
  });
});

test('the tables hold at least 60 upstream-derived cases', () => {
  assert.ok(VALID.length + INVALID.length >= 60);
});
