/** @jsxRuntime automatic */
// Create → "Compose file" in happy-dom over a fake client: the choice between the two ways,
// the app name and path judged as they are typed, the compose:create request (pasted text
// sent as it is, env files, profiles, pull policy), the app's page on success, and a refused
// file shown whole with its hint and line while the form keeps what was typed. Plus the
// pure helpers behind the form.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, waitFor } from '@testing-library/react';
import { TagkeeperError } from '../../main/api/errors';
import { composeCreateRequest, composeErrorLine, composeSource, EMPTY_COMPOSE_FORM, filePathProblem, lineRange, projectNameProblem } from '../../renderer/src/lib/compose-request';
import { BUILD_REFUSED, COMPOSE_FILE, shopShown } from '../../renderer/test-support/compose-fixtures';
import { closeDom } from '../../renderer/test-support/dom';
import { type Handlers } from '../../renderer/test-support/fake-client';
import { button, byTestId, gone, mountApp, text } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

const value = (id: string) => (byTestId(id) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
const type = (id: string, v: string) => fireEvent.change(byTestId(id), { target: { value: v } });

async function openComposeForm(overrides: Handlers = {}) {
  const mounted = await mountApp(overrides);
  fireEvent.click(byTestId('nav-create'));
  await waitFor(() => byTestId('create-way-compose'));
  fireEvent.click(byTestId('create-way-compose'));
  return mounted;
}

const PASTED = 'services:\n  web:\n    image: nginx:1.27\n  api:\n    build: .\n';

describe('create from a Compose file', () => {
  test('"Images" and "Compose file" are two ways; each form keeps what was typed when switching', async () => {
    const { stop } = await mountApp();
    fireEvent.click(byTestId('nav-create'));
    const images = await waitFor(() => byTestId('create-name').closest('form') as HTMLFormElement);
    const compose = byTestId('compose-name').closest('form') as HTMLFormElement;
    assert.equal((byTestId('create-way-images') as HTMLInputElement).checked, true, 'today\'s form comes first');
    assert.equal(images.hidden, false);
    assert.equal(compose.hidden, true);
    type('create-name', 'web');
    fireEvent.click(byTestId('create-way-compose'));
    assert.equal(images.hidden, true);
    assert.equal(compose.hidden, false);
    type('compose-name', 'shop');
    fireEvent.click(byTestId('create-way-images'));
    assert.equal(value('create-name'), 'web');
    assert.equal(value('compose-name'), 'shop');
    stop();
  });

  test('the name (a Compose project name) and the path (absolute) are judged as they are typed', async () => {
    const { client, stop } = await openComposeForm();
    assert.equal(button('compose-create-submit').disabled, true);
    assert.equal(button('compose-create-submit').title, 'give the app a name');
    type('compose-name', 'My Shop');
    assert.match(text('compose-name-error'), /^"My Shop" cannot name a Compose project: use lower-case letters, digits, "_" and "-", starting with a letter or digit$/);
    type('compose-name', '-shop');
    assert.match(text('compose-name-error'), /cannot name a Compose project/);
    type('compose-name', 'x'.repeat(64));
    assert.match(text('compose-name-error'), /64 characters long: an app name has at most 63/);
    type('compose-name', 'shop_2-b');
    gone('compose-name-error');
    assert.equal(button('compose-create-submit').title, "give the Compose file's path on the box");
    type('compose-file', 'shop/compose.yaml');
    assert.match(text('compose-file-error'), /"shop\/compose.yaml" is not an absolute path: give the Compose file's full path on the box/);
    assert.equal(button('compose-create-submit').disabled, true);
    assert.equal(text('compose-create-reason'), 'correct the fields marked above');
    type('compose-file', COMPOSE_FILE);
    gone('compose-file-error');
    assert.equal(button('compose-create-submit').disabled, false);
    assert.deepEqual(client.callsOf('compose:create'), [], 'nothing is sent while typing');
    stop();
  });

  test('sends the path, the pasted text as it is, env files, profiles and pull policy; then opens the app\'s page', async () => {
    const { client, stop } = await openComposeForm({ 'compose:create': ({ name }) => shopShown({}, { name }) });
    type('compose-name', ' shop ');
    type('compose-file', COMPOSE_FILE);
    type('compose-text', PASTED);
    type('compose-env-files', '/srv/shop/prod.env\n\n  /srv/shop/local.env  \n');
    type('compose-profiles', 'debug, tools extra');
    type('compose-pull-policy', 'if-not-present');
    fireEvent.click(byTestId('compose-create-submit'));
    await waitFor(() => byTestId('app-page-shop'));
    assert.deepEqual(client.callsOf('compose:create'), [{
      name: 'shop',
      file: COMPOSE_FILE,
      text: PASTED,
      envFiles: ['/srv/shop/prod.env', '/srv/shop/local.env'],
      profiles: ['debug', 'tools', 'extra'],
      pullPolicy: 'if-not-present',
    }]);
    assert.equal(text('compose-file-shop'), COMPOSE_FILE, 'the page shows the definition at once');
    assert.equal(byTestId('digest-shop-web').getAttribute('data-digest') !== '', true);
    assert.deepEqual(client.callsOf('apps:create'), []);
    stop();
  });

  test('without pasted text, env files or profiles only the path is sent (the core reads the file and its .env)', async () => {
    const { client, stop } = await openComposeForm({ 'compose:create': () => shopShown() });
    type('compose-name', 'shop');
    type('compose-file', COMPOSE_FILE);
    type('compose-text', '  \n');
    fireEvent.click(byTestId('compose-create-submit'));
    await waitFor(() => byTestId('app-page-shop'));
    assert.deepEqual(client.callsOf('compose:create'), [{ name: 'shop', file: COMPOSE_FILE, pullPolicy: null }]);
    stop();
  });

  test('a refused file: the core\'s message whole, with its hint and line; the form keeps everything', async () => {
    const { client, stop } = await openComposeForm({ 'compose:create': () => { throw BUILD_REFUSED(); }, 'apps:show': ({ name }) => { throw new TagkeeperError('unknown-app', `no app named ${name}`); } });
    type('compose-name', 'shop');
    type('compose-file', COMPOSE_FILE);
    type('compose-text', PASTED);
    type('compose-profiles', 'debug');
    fireEvent.click(byTestId('compose-create-submit'));
    await waitFor(() => byTestId('compose-create-error'));
    assert.equal(text('compose-create-error').startsWith(
      'Not created: compose.yaml:4: service api: build is not supported: Tagkeeper runs images from a registry or a bundle — build and push the image, then name it with image: (e.g. registry.example.com/api:1.4), or bring it in a bundle',
    ), true, text('compose-create-error'));
    assert.equal(byTestId('compose-create-error').getAttribute('data-line'), '4');
    assert.equal(client.callsOf('compose:create').length, 1);
    assert.deepEqual([value('compose-name'), value('compose-file'), value('compose-text'), value('compose-profiles')], ['shop', COMPOSE_FILE, PASTED, 'debug']);
    gone('app-page-shop');
    fireEvent.click(byTestId('compose-create-error-show-line'));
    const area = byTestId('compose-text') as HTMLTextAreaElement;
    assert.equal(area.value.slice(area.selectionStart, area.selectionEnd), '  api:', 'line 4 of the pasted text is selected');
    stop();
  });

  test('a name already taken is shown beside the name too, until it is changed', async () => {
    const { stop } = await openComposeForm({
      'compose:create': ({ name }) => { throw new TagkeeperError('already-exists', `app ${name} already exists`, { hint: 'choose another name, or delete the app first' }); },
    });
    type('compose-name', 'shop');
    type('compose-file', COMPOSE_FILE);
    fireEvent.click(byTestId('compose-create-submit'));
    await waitFor(() => assert.equal(text('compose-name-error'), 'app shop already exists — choose another name, or delete the app first'));
    assert.match(text('compose-create-error'), /^Not created: app shop already exists — choose another name/);
    gone('compose-create-error-show-line');
    type('compose-name', 'shop2');
    gone('compose-name-error');
    stop();
  });
});

describe('the Compose form\'s helpers', () => {
  test('project names and paths', () => {
    assert.equal(projectNameProblem(''), null);
    assert.equal(projectNameProblem('shop_1-a'), null);
    assert.match(projectNameProblem('Shop') ?? '', /cannot name a Compose project/);
    assert.match(projectNameProblem('a.b') ?? '', /cannot name a Compose project/, 'a dot is fine for an app, not for a Compose project');
    assert.equal(filePathProblem('/a/compose.yaml'), null);
    assert.match(filePathProblem('./compose.yaml') ?? '', /not an absolute path/);
  });

  test('the source: blank text, env files and profiles are left out; text is never trimmed', () => {
    assert.deepEqual(composeSource({ file: ' /a/c.yaml ', envFiles: ' \n', profiles: ' , ' }, ' \n'), { file: '/a/c.yaml' });
    assert.deepEqual(composeSource({ file: '/a/c.yaml', envFiles: '/a/.env', profiles: 'x y,z' }, ' services: {}\n'), {
      file: '/a/c.yaml', text: ' services: {}\n', envFiles: ['/a/.env'], profiles: ['x', 'y', 'z'],
    });
    assert.deepEqual(composeCreateRequest({ ...EMPTY_COMPOSE_FORM, name: 'shop', file: '/a/c.yaml', pullPolicy: 'never' }), { name: 'shop', file: '/a/c.yaml', pullPolicy: 'never' });
  });

  test('the line an error names, and where it is in the text', () => {
    assert.deepEqual(composeErrorLine('compose.yaml:12: service api: build is not supported'), { file: 'compose.yaml', line: 12 });
    assert.deepEqual(composeErrorLine('compose.yaml:3:7: mapping values are not allowed here'), { file: 'compose.yaml', line: 3 });
    assert.equal(composeErrorLine('app shop already exists'), null);
    assert.deepEqual(lineRange('a\nbb\nccc', 2), { start: 2, end: 4 });
    assert.deepEqual(lineRange('a\nbb\nccc', 3), { start: 5, end: 8 });
    assert.equal(lineRange('a\nbb', 4), null);
  });
});
