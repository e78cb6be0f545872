/**
 * Who the ledger says did it: the real uid's user; under sudo (running as root) the user of
 * a SUDO_UID that is a number naming an existing user; never SUDO_USER as given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { localUser, systemUsers, type UserDirectory } from '../../main/shells/local-user';
import { currentActor } from '../../main/shells/open-instance';

const PASSWD: Record<number, string> = { 0: 'root', 1000: 'ana', 1001: 'ben' };
const box = (uid: number): UserDirectory => ({ realUid: () => uid, nameOf: (u) => PASSWD[u] ?? null });

test('SUDO_USER as given is never believed, whoever runs', () => {
  assert.equal(localUser({ SUDO_USER: 'mallory' }, box(0)), 'root');
  assert.equal(localUser({ SUDO_USER: 'root' }, box(1000)), 'ana');
  assert.equal(localUser({ SUDO_USER: 'ana', SUDO_UID: '1001' }, box(0)), 'ben', 'SUDO_UID decides, not SUDO_USER');
});

test('as root, a SUDO_UID that is a number naming an existing user is the user', () => {
  assert.equal(localUser({ SUDO_UID: '1000' }, box(0)), 'ana');
  assert.equal(localUser({ SUDO_UID: '0' }, box(0)), 'root');
});

test('a SUDO_UID that is not a plain number, names no user, or comes to a process not running as root is ignored', () => {
  for (const value of ['', ' 1000', '1000 ', '-1', '1e3', '0x3e8', '1000;rm', '4242', '99999999999']) {
    assert.equal(localUser({ SUDO_UID: value }, box(0)), 'root', `SUDO_UID=${JSON.stringify(value)}`);
  }
  assert.equal(localUser({ SUDO_UID: '0' }, box(1000)), 'ana', 'only root was given its user by sudo');
});

test('a uid with no passwd entry is named by its number', () => {
  assert.equal(localUser({}, box(4242)), 'uid 4242');
  assert.equal(localUser({ SUDO_UID: '4243' }, box(0)), 'root');
});

test('on this box: the real uid\'s name; the system directory knows root and not a made-up uid', () => {
  assert.equal(systemUsers.nameOf(0), 'root');
  assert.equal(systemUsers.nameOf(2_147_483_646), null);
  assert.equal(currentActor({ SUDO_USER: 'mallory' }), userInfo().username);
  if (process.getuid?.() === 0) assert.equal(currentActor({ SUDO_USER: 'mallory', SUDO_UID: '0' }), 'root');
});
