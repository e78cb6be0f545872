/**
 * Splits a `command:` or `entrypoint:` written as one string into words the way Compose
 * does (compose-go uses github.com/mattn/go-shellwords v1.0.12, without environment or
 * backtick expansion): white space separates words; single quotes keep everything
 * literally; double quotes keep white space; a backslash outside single quotes takes the
 * next character literally (also inside double quotes); `''` and `""` give an empty word.
 *
 * One deliberate difference: go-shellwords stops at an unquoted `;`, `&`, `|`, `<` or `>`
 * and Compose silently drops the rest of the line (`echo a && echo b` runs `echo a`).
 * Here that is an error, so nothing in the file is dropped without a word.
 */

export class ShellWordsError extends Error {
  override readonly name = 'ShellWordsError';
}

export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let hasWord = false;
  let escaped = false;
  let doubleQuoted = false;
  let singleQuoted = false;
  let backQuote = false;
  let dollarQuote = false;

  for (const char of line) {
    if (escaped) {
      word += char;
      escaped = false;
      hasWord = true;
      continue;
    }
    if (char === '\\') {
      if (singleQuoted) word += char;
      else escaped = true;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      if (singleQuoted || doubleQuoted || backQuote || dollarQuote) {
        word += char;
      } else if (hasWord) {
        words.push(word);
        word = '';
        hasWord = false;
      }
      continue;
    }
    switch (char) {
      case '`':
        if (!singleQuoted && !doubleQuoted && !dollarQuote) backQuote = !backQuote;
        break;
      case ')':
        if (!singleQuoted && !doubleQuoted && !backQuote) dollarQuote = !dollarQuote;
        break;
      case '(':
        if (!singleQuoted && !doubleQuoted && !backQuote) {
          if (!dollarQuote && word.endsWith('$')) {
            dollarQuote = true;
            word += '(';
            continue;
          }
          throw new ShellWordsError("an unquoted '(' is not allowed");
        }
        break;
      case '"':
        if (!singleQuoted && !dollarQuote) {
          if (doubleQuoted) hasWord = true;
          doubleQuoted = !doubleQuoted;
          continue;
        }
        break;
      case "'":
        if (!doubleQuoted && !dollarQuote) {
          if (singleQuoted) hasWord = true;
          singleQuoted = !singleQuoted;
          continue;
        }
        break;
      case ';':
      case '&':
      case '|':
      case '<':
      case '>':
        if (!(singleQuoted || doubleQuoted || backQuote || dollarQuote)) {
          throw new ShellWordsError(`the shell operator '${char}' would end the command there (Compose drops the rest)`);
        }
        break;
    }
    hasWord = true;
    word += char;
  }
  if (hasWord) words.push(word);
  if (escaped || singleQuoted || doubleQuoted || backQuote || dollarQuote) {
    throw new ShellWordsError(escaped ? 'it ends with a lone backslash' : 'a quote or bracket is not closed');
  }
  return words;
}
