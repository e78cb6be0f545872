// Copies non-TypeScript files the compiled code reads at run time into dist/.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
cpSync(join(root, 'main/store/migrations'), join(root, 'dist/main/store/migrations'), { recursive: true });
