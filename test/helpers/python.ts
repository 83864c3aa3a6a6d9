// The model tooling's Python, as the tests run it: native-models/py (Debian's python3, or
// SIGHTLINE_PYTHON, with synth/ivt/tfjs2onnx importable as packages — native-models/pyproject.toml).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli';

/** The interpreter the launcher runs (tests that need it skip when it is absent). */
export const PYTHON_INTERPRETER = process.env.SIGHTLINE_PYTHON ?? '/usr/bin/python3';
/** The launcher: use it in place of python3 (`execFileSync(PY, ['-m', 'ivt.parity', dir])`). */
export const PY = path.join(ROOT, 'native-models', 'py');
export const hasPython = (): boolean => fs.existsSync(PYTHON_INTERPRETER);
