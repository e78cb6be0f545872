/**
 * Interpolation, with the cases of compose-go's template/template_test.go ported as they
 * are (same mapping: FOO=first, BAR='', JSON={"json":2}), plus the tree walk the loader uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterpolationError, interpolateTree, substitute } from '../../main/core/compose/interpolate';
import type { YNode } from '../../main/core/compose/yaml-tree';

const defaults: Record<string, string> = { FOO: 'first', BAR: '', JSON: '{"json":2}' };
const lookup = (name: string) => (Object.hasOwn(defaults, name) ? defaults[name] : undefined);
const sub = (template: string) => substitute(template, lookup);

function fails(template: string, pattern: RegExp, mapping = lookup) {
  assert.throws(() => substitute(template, mapping), (error: unknown) => {
    assert.ok(error instanceof InterpolationError, `${template}: ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(error.hint.length > 0);
    return true;
  });
}

test('escaped $$ and text without variables', () => {
  assert.equal(sub('$${foo}'), '${foo}');
  assert.equal(sub('foo'), 'foo');
  assert.equal(sub('$$FOO and $$'), '$FOO and $');
});

test('a $ that starts nothing is kept', () => {
  for (const template of ['a $ string', '^REGEX$', '$}', '$', '$1', 'cost: 5$']) assert.equal(sub(template), template);
});

test('invalid templates are errors', () => {
  for (const template of ['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}', 'ok ${1FOO}']) fails(template, /invalid interpolation format/);
});

test('non-braced names end at the first character that is not a name character (docker/compose#8601)', () => {
  assert.equal(sub('$FOO-bar'), 'first-bar');
  assert.equal(sub('$FOO.bar'), 'first.bar');
});

test('values, unset and empty variables', () => {
  assert.equal(sub('This ${missing} var'), 'This  var');
  assert.equal(sub('This ${BAR} var'), 'This  var');
  assert.equal(sub('This $FOO var'), 'This first var');
  assert.equal(sub('This ${FOO} var'), 'This first var');
  assert.equal(sub('${foo}'), '', 'names are case sensitive');
});

test('defaults: :- when unset or empty, - when unset', () => {
  assert.equal(sub('ok ${missing:-def}'), 'ok def');
  assert.equal(sub('ok ${missing-def}'), 'ok def');
  assert.equal(sub('ok ${BAR:-def}'), 'ok def');
  assert.equal(sub('ok ${FOO:-def}'), 'ok first');
  assert.equal(sub('ok ${BAR-def}'), 'ok ');
  assert.equal(sub('ok ${BAR:-/non:-alphanumeric}'), 'ok /non:-alphanumeric');
});

test('replacements: :+ when set and non-empty, + when set', () => {
  assert.equal(sub('ok ${UNSET_VAR:+presence_value}'), 'ok ');
  assert.equal(sub('ok ${UNSET_VAR+presence_value}'), 'ok ');
  assert.equal(sub('ok ${FOO:+presence_value}'), 'ok presence_value');
  assert.equal(sub('ok ${FOO+presence_value}'), 'ok presence_value');
  assert.equal(sub('ok ${BAR+presence_value}'), 'ok presence_value');
  assert.equal(sub('ok ${BAR:+presence_value}'), 'ok ');
  assert.equal(sub('${A:+${A},}B'), 'B');
});

test('text around a substitution does not change it (TestInterpolationExternalInterference)', () => {
  const cases: [string, string][] = [
    ['-ok ${BAR:-defaultValue}', '-ok defaultValue'],
    ['+ok ${UNSET:-${BAR-defaultValue}}', '+ok '],
    ['-ok ${FOO:-defaultValue}', '-ok first'],
    [':-ok ${UNSET-defaultValue}', ':-ok defaultValue'],
    [':-ok ${BAR-defaultValue}', ':-ok '],
    [':?ok ${BAR-defaultValue}', ':?ok '],
    [':?ok ${BAR:-defaultValue}', ':?ok defaultValue'],
    [':+ok ${BAR:-defaultValue}', ':+ok defaultValue'],
    ['+ok ${BAR-defaultValue}', '+ok '],
    ['?ok ${BAR:-defaultValue}', '?ok defaultValue'],
  ];
  for (const [template, expected] of cases) assert.equal(sub(template), expected, template);
});

test('defaults with nested substitutions', () => {
  const cases: [string, string][] = [
    ['ok ${UNSET_VAR-$FOO}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO}}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO} ${FOO}}', 'ok first first'],
    ['ok ${BAR:-$FOO}', 'ok first'],
    ['ok ${BAR:-${FOO}}', 'ok first'],
    ['ok ${BAR:-${FOO} ${FOO}}', 'ok first first'],
    ['ok ${BAR+$FOO}', 'ok first'],
    ['ok ${BAR+$FOO ${FOO:+second}}', 'ok first second'],
    ['${A:-${B:-${C:-deep}}}', 'deep'],
  ];
  for (const [template, expected] of cases) assert.equal(sub(template), expected, template);
});

test('required variables: the error carries the message, also a nested one', () => {
  fails('not ok ${UNSET_VAR:?Mandatory Variable Unset}', /^required variable UNSET_VAR is missing a value: Mandatory Variable Unset$/);
  fails('not ok ${BAR:?Mandatory Variable Empty}', /^required variable BAR is missing a value: Mandatory Variable Empty$/);
  fails('not ok ${UNSET_VAR:?}', /^required variable UNSET_VAR is missing a value$/);
  fails('not ok ${UNSET_VAR?Mandatory Variable Unset}', /^required variable UNSET_VAR is missing a value: Mandatory Variable Unset$/);
  fails('not ok ${UNSET_VAR?}', /^required variable UNSET_VAR is missing a value$/);
  fails('not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}', /: Mandatory Variable first$/);
  fails('not ok ${UNSET_VAR?Mandatory Variable ${FOO}}', /: Mandatory Variable first$/);
});

test('required variables that are set give their value', () => {
  assert.equal(sub('ok ${FOO:?err}'), 'ok first');
  assert.equal(sub('ok ${FOO?err}'), 'ok first');
  assert.equal(sub('ok ${BAR?err}'), 'ok ');
  assert.equal(substitute('${A?${B}}', (name) => (name === 'A' ? 'value' : undefined)), 'value', 'the message is not needed when the variable is set');
  assert.equal(sub('ok ${SUBDOMAIN:-redis}.${FOO:?}'), 'ok redis.first');
});

test('the first operator decides (TestPrecedence)', () => {
  fails('${UNSET_VAR?bar-baz}', /^required variable UNSET_VAR is missing a value: bar-baz$/);
  assert.equal(sub('${UNSET_VAR-myerror?msg}'), 'myerror?msg');
  assert.equal(sub('${FOO?bar-baz}'), 'first');
  assert.equal(sub('${BAR:-default_value_for_empty_var}'), 'default_value_for_empty_var');
  assert.equal(sub('${UNSET_VAR-default_value_for_unset_var}'), 'default_value_for_unset_var');
  assert.equal(sub('${UNSET-va:-lu:?e}'), 'va:-lu:?e');
  assert.equal(sub('${FOO:+va:?lu:-e}'), 'va:?lu:-e');
  assert.equal(sub('${UNSET+va:+lue}'), '');
});

test('curly braces inside defaults', () => {
  assert.equal(sub('ok ${missing:-{"json":1}}'), 'ok {"json":1}');
  assert.equal(sub('ok ${missing-{"json":1}}'), 'ok {"json":1}');
  assert.equal(sub('ok ${JSON:-{"json":1}}'), 'ok {"json":2}');
  assert.equal(sub('ok ${JSON-{"json":1}}'), 'ok {"json":2}');
});

test('several substitutions in one string, each on its own', () => {
  assert.equal(sub('${FOO:-x}/${BAR:-y}/${NONE-z}/$FOO'), 'first/y/z/first');
  assert.equal(sub('${FOO}${FOO}'), 'firstfirst');
});

test('interpolateTree replaces string values, not keys, numbers or booleans, and reports the failing path', () => {
  const scalar = (value: string | number | boolean | null, line: number): YNode => ({ kind: 'scalar', value, source: String(value), line });
  const tree: YNode = {
    kind: 'map',
    line: 1,
    entries: new Map([
      ['$FOO', { key: '$FOO', line: 1, value: scalar('${FOO}-x', 1) }],
      ['list', { key: 'list', line: 2, value: { kind: 'list', line: 2, items: [scalar('$FOO', 3), scalar(8080, 4), scalar(true, 5)] } }],
    ]),
  };
  interpolateTree(tree, lookup, () => assert.fail('no error expected'));
  assert.ok(tree.kind === 'map');
  const first = tree.entries.get('$FOO')?.value;
  assert.deepEqual(first, { kind: 'scalar', value: 'first-x', source: '${FOO}-x', line: 1 }, 'the value is replaced, the source stays as written');
  const list = tree.entries.get('list')?.value;
  assert.ok(list?.kind === 'list');
  assert.deepEqual(list.items.map((item) => (item.kind === 'scalar' ? item.value : null)), ['first', 8080, true]);

  const broken: YNode = { kind: 'map', line: 1, entries: new Map([['a', { key: 'a', line: 1, value: { kind: 'list', line: 2, items: [scalar('ok', 2), scalar('${X:?need X}', 7)] } }]]) };
  let reported: { path: (string | number)[]; line: number; message: string } | null = null;
  assert.throws(() =>
    interpolateTree(broken, lookup, (error, path, at) => {
      reported = { path, line: at.line, message: error.message };
      throw new Error('stop');
    }),
  );
  assert.deepEqual(reported, { path: ['a', 1], line: 7, message: 'required variable X is missing a value: need X' });
});
