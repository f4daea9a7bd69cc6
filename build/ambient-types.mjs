// After tsc: the ambient declaration of the untyped `fengari` package (a .d.ts of our own,
// which tsc never copies to its output) goes beside the emitted declarations, and the
// package's entry references it, so `import … from 'replsim'` type-checks under --strict.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

copyFileSync('sim/redis/scripting/fengari.d.ts', 'dist/sim/redis/scripting/fengari.d.ts');
const entry = 'dist/sim/index.d.ts';
const ref = '/// <reference path="./redis/scripting/fengari.d.ts" />\n';
const text = readFileSync(entry, 'utf8');
if (!text.startsWith(ref)) writeFileSync(entry, ref + text);
