/**
 * The .env / env_file format, with the cases and fixtures of compose-go's
 * dotenv/godotenv_test.go ported (fixtures inlined), and the project's variables:
 * environment over --env-file over .env.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnvFileError, parseEnvFile } from '../../main/core/compose/env-file';
import { projectVariables } from '../../main/core/compose/project-environment';
import { TagkeeperError } from '../../main/api/errors';

const parse = (text: string, lookup?: (name: string) => string | undefined) => parseEnvFile(text, lookup);
const one = (line: string, key: string, value: string) => assert.equal(parse(line)[key], value, `${line} → ${key}`);

test('unquoted, spaced and YAML-style lines', () => {
  one('FOO=bar', 'FOO', 'bar');
  one('FOO =bar', 'FOO', 'bar');
  one('FOO= bar', 'FOO', 'bar');
  one('OPTION_A: 1', 'OPTION_A', '1');
  one('OPTION_A: Foo=bar', 'OPTION_A', 'Foo=bar');
  one('OPTION_A=1:B', 'OPTION_A', '1:B');
  one('FOO.BAR=foobar', 'FOO.BAR', 'foobar');
  one('FOO=foobar=', 'FOO', 'foobar=');
  one('FOO=bar ', 'FOO', 'bar');
  one(' KEY =value', 'KEY', 'value');
  one('   KEY=value', 'KEY', 'value');
  one('\tKEY=value', 'KEY', 'value');
  one('="value"', '', 'value');
});

test('quotes', () => {
  one('FOO="bar"', 'FOO', 'bar');
  one("FOO='bar'", 'FOO', 'bar');
  one('FOO="escaped\\"bar"', 'FOO', 'escaped"bar');
  one('FOO="\\"quoted\\""', 'FOO', '"quoted"');
  one(`FOO="'d'"`, 'FOO', "'d'");
  one("OPTION_K='Let\\'s go!'", 'OPTION_K', "Let's go!");
});

test('export prefix', () => {
  one('export OPTION_A=2', 'OPTION_A', '2');
  one("export OPTION_B='\\n'", 'OPTION_B', '\\n');
  one('export exportFoo=2', 'exportFoo', '2');
  one('exportFOO=2', 'exportFOO', '2');
  one('export_FOO =2', 'export_FOO', '2');
  one('export.FOO= 2', 'export.FOO', '2');
  one('export\tOPTION_A=2', 'OPTION_A', '2');
  one('  export OPTION_A=2', 'OPTION_A', '2');
  one('\texport OPTION_A=2', 'OPTION_A', '2');
  one('export OPTION_A="export A"', 'OPTION_A', 'export A');
});

test('escapes in double quotes, not in single quotes or unquoted', () => {
  one('FOO="bar\\nbaz"', 'FOO', 'bar\nbaz');
  one('FOO=a\\tb', 'FOO', 'a\\tb');
  one('FOO="a\\tb"', 'FOO', 'a\tb');
  one('KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', 'KEY', 'Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ');
  one('FOO="bar\\n\\ b\\az"', 'FOO', 'bar\n\\ b\x07z');
  one('FOO="bar\\\\\\n\\ b\\az"', 'FOO', 'bar\\\n\\ b\x07z');
  one('FOO="bar\\\\r\\ b\\az"', 'FOO', 'bar\\r\\ b\x07z');
  one('FOO="bar\\nbaz\\\\"', 'FOO', 'bar\nbaz\\');
  one('KEY="\\0123"', 'KEY', 'S');
  one('KEY="\\x07"', 'KEY', '\\x07');
  one('KEY="\\u12e4"', 'KEY', '\\u12e4');
  one('KEY="\\U00101234"', 'KEY', '\\U00101234');
});

test('comments', () => {
  one('FOO=bar # this is foo', 'FOO', 'bar');
  one('FOO=bar #this is foo', 'FOO', 'bar');
  one('FOO=bar #', 'FOO', 'bar');
  one('FOO=123#not-an-inline-comment', 'FOO', '123#not-an-inline-comment');
  one('FOO="bar#baz"', 'FOO', 'bar#baz');
  one('FOO="bar#baz"#', 'FOO', 'bar#baz');
  one('FOO="bar#baz" # comment', 'FOO', 'bar#baz');
  one("FOO='bar#baz' # comment", 'FOO', 'bar#baz');
  one('FOO="bar#baz#bang" # comment', 'FOO', 'bar#baz#bang');
  one('FOO="ba#r"', 'FOO', 'ba#r');
  one("FOO='ba#r'", 'FOO', 'ba#r');
  for (const ignored of ['\n', '\r\n', '\t\t ', '# Comment', '\t # comment']) assert.deepEqual(parse(ignored), {});
});

test('fixture plain.env (keys starting with a digit are kept, as GetEnvFromFile keeps them)', () => {
  const env = parse('OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F = \nOPTION_G=\nOPTION_H = my string # Inline comment\n');
  assert.deepEqual(env, { OPTION_A: '1', OPTION_B: '2', OPTION_C: '3', OPTION_D: '4', OPTION_E: '5', '456': 'ABC', OPTION_F: '', OPTION_G: '', OPTION_H: 'my string' });
});

test('fixture quoted.env: multi-line values in quotes', () => {
  const text = `OPTION_A='1'\nOPTION_B='2'\nOPTION_C=''\nOPTION_D='\\n'\nOPTION_E="1"\nOPTION_F="2"\nOPTION_G=""\nOPTION_H="\\n"\nOPTION_I = "echo 'asd'" # Inline comment\nOPTION_J = 'first line\nsecond line\nthird line\nand so on'\nOPTION_K='Let\\'s go!'\nOPTION_Z = "last value"\n`;
  assert.deepEqual(parse(text), {
    OPTION_A: '1', OPTION_B: '2', OPTION_C: '', OPTION_D: '\\n', OPTION_E: '1', OPTION_F: '2', OPTION_G: '', OPTION_H: '\n',
    OPTION_I: "echo 'asd'", OPTION_J: 'first line\nsecond line\nthird line\nand so on', OPTION_K: "Let's go!", OPTION_Z: 'last value',
  });
});

test('fixture unquoted.env and special.env', () => {
  assert.deepEqual(parse('OPTION_A = "some quoted phrase"\nOPTION_B=first one with an unquoted phrase\nOPTION_D = then special è char\n'), {
    OPTION_A: 'some quoted phrase', OPTION_B: 'first one with an unquoted phrase', OPTION_D: 'then special è char',
  });
  assert.deepEqual(parse('VAR.WITH.DOTS=dots\nVAR_WITH_UNDERSCORES=underscores\nVAR-WITH-DASHES=dashes\n'), {
    'VAR.WITH.DOTS': 'dots', VAR_WITH_UNDERSCORES: 'underscores', 'VAR-WITH-DASHES': 'dashes',
  });
  assert.deepEqual(parse('\uFEFFOPTION_A=1\nOPTION_B=2\n'), { OPTION_A: '1', OPTION_B: '2' }, 'a UTF-8 BOM is skipped');
});

test('substitutions from earlier lines; the lookup wins over them', () => {
  const substitutions = 'OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n';
  assert.deepEqual(parse(substitutions), { OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' });
  const withEnv = (name: string) => (name === 'OPTION_A' ? '5' : undefined);
  assert.deepEqual(parse(substitutions, withEnv), { OPTION_A: '1', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' });
  const defaults = 'OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n';
  assert.deepEqual(parse(defaults, withEnv), { OPTION_A: '5', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' });
  assert.deepEqual(parse(defaults), { OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' });
});

test('expansion rules of each quoting (TestExpanding)', () => {
  assert.deepEqual(parse('FOO=test\nBAR=$FOO'), { FOO: 'test', BAR: 'test' });
  assert.deepEqual(parse('FOO=test\nBAR=${FOO}bar'), { FOO: 'test', BAR: 'testbar' });
  assert.deepEqual(parse('BAR=$FOO'), { BAR: '' });
  assert.deepEqual(parse('FOO=test\nBAR="quote $FOO"'), { FOO: 'test', BAR: 'quote test' });
  assert.deepEqual(parse("BAR='quote $FOO'"), { BAR: 'quote $FOO' });
  assert.deepEqual(parse('FOO="foo\\$BAR"'), { FOO: 'foo$BAR' });
  assert.deepEqual(parse('FOO="foo\\${BAR}"'), { FOO: 'foo${BAR}' });
  assert.deepEqual(parse('FOO=test\nBAR="foo\\${FOO} ${FOO}"'), { FOO: 'test', BAR: 'foo${FOO} test' });
  assert.deepEqual(parse('TEST=$ME', (name) => (name === 'ME' ? 'YES' : undefined)), { TEST: 'YES' });
  assert.deepEqual(parse('TEST_URLS="stratum+tcp://a:3333\nstratum+tcp://b:443"'), { TEST_URLS: 'stratum+tcp://a:3333\nstratum+tcp://b:443' });
});

test('a name alone takes the value from the lookup, and is left out without one', () => {
  const lookup = (name: string) => (name === 'VAR_TO_BE_LOADED_FROM_OS_ENV' ? 'SOME_RANDOM_VALUE' : undefined);
  assert.deepEqual(parse('foo=bar\nVAR_TO_BE_LOADED_FROM_OS_ENV\nbar=baz\n', lookup), { foo: 'bar', VAR_TO_BE_LOADED_FROM_OS_ENV: 'SOME_RANDOM_VALUE', bar: 'baz' });
  assert.deepEqual(parse('VARIABLE_NOT_FOUND\n', lookup), {});
});

function failsAt(text: string, line: number, pattern: RegExp) {
  assert.throws(() => parse(text), (error: unknown) => {
    assert.ok(error instanceof EnvFileError, String(error));
    assert.equal(error.line, line, text);
    assert.match(error.reason, pattern);
    return true;
  });
}

test('errors carry the line: bad names, spaces in names, unterminated quotes, missing required variables', () => {
  failsAt('lol$wut', 1, /unexpected character "\$" in variable name "lol\$wut"/);
  failsAt('# some comments\nfoo="\n  a\n  multine\n  value\n"\nINVALID LINE\nzot=qix', 7, /key cannot contain a space/);
  for (const text of ['KEY="', 'KEY="value', 'KEY="value\\"', "KEY=\"value'", "KEY='", "KEY='value", "KEY='value\\'", 'KEY=\'value"']) {
    failsAt(text, 1, /unterminated quoted value/);
  }
  failsAt('A=1\nB=${NEED:?set NEED}\n', 3, /required variable NEED is missing a value: set NEED/);
});

const missing = (path: string): never => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};
const filesystem = (files: Record<string, string>) => (path: string) => (Object.hasOwn(files, path) ? files[path] : missing(path));

test('project variables: environment wins over .env, which is read only when no --env-file is given', () => {
  const readFile = filesystem({ '/p/.env': 'A=from-dotenv\nB=from-dotenv\nC=${B}-c\n', '/p/one.env': 'B=one\nD=one\n', '/p/two.env': 'D=two\nE=${D}+${A}\n' });
  assert.deepEqual(projectVariables({ projectDir: '/p', environment: { A: 'env' }, readFile }), { A: 'env', B: 'from-dotenv', C: 'from-dotenv-c' });
  assert.deepEqual(projectVariables({ projectDir: '/p', environment: { A: 'env' }, envFiles: ['/p/one.env', '/p/two.env'], readFile }), { A: 'env', B: 'one', D: 'two', E: 'two+env' });
  assert.deepEqual(projectVariables({ projectDir: '/p', environment: { COMPOSE_DISABLE_ENV_FILE: 'true' }, readFile }), { COMPOSE_DISABLE_ENV_FILE: 'true' });
  assert.deepEqual(projectVariables({ projectDir: '/elsewhere', environment: {}, readFile }), {}, 'no .env is fine');
});

test('project variables: a missing --env-file and a bad line are errors naming the file', () => {
  assert.throws(() => projectVariables({ projectDir: '/p', environment: {}, envFiles: ['/p/nope.env'], readFile: filesystem({}) }), (error: unknown) => {
    assert.ok(error instanceof TagkeeperError);
    assert.equal(error.code, 'invalid-input');
    assert.equal(error.message, 'nope.env: env file /p/nope.env not found');
    return true;
  });
  assert.throws(() => projectVariables({ projectDir: '/p', environment: {}, readFile: filesystem({ '/p/.env': 'GOOD=1\nBAD NAME=2\n' }) }), (error: unknown) => {
    assert.ok(error instanceof TagkeeperError);
    assert.equal(error.message, '.env:2: key cannot contain a space');
    assert.ok(error.hint);
    return true;
  });
});
