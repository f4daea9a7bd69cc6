/** Runs the chaos workload for the seeds given as arguments and prints their hashes as JSON. */
import { runChaos } from './chaos.js';

const seeds = process.argv.slice(2);
console.log(JSON.stringify(seeds.map((s) => runChaos(s).hash)));
