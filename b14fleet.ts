import { benchFleet } from './bench/fleet.js';
const f = await benchFleet(Number(process.argv[2]), 10);
console.log(JSON.stringify(f));
