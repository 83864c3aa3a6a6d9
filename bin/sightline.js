#!/usr/bin/env node
// Entry point of `npx sightline`: runs the compiled CLI (built by `npm run build`, run at `npm ci`).
'use strict';
const path = require('node:path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'electron', 'cli', 'main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('sightline: not built yet — run `npm run build` in ' + path.join(__dirname, '..') + '\n');
    process.exit(1);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(String(e) + '\n'); process.exitCode = 1; });
