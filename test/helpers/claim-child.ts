/**
 * A separate process for the file store's cross-process test: opens the store in the data
 * directory given as the first argument, waits until the start time (epoch ms, second argument) so
 * that every process claims at once, claims `lease` and prints whether it got it.
 */
import { createKeyValueStore } from '../../src/store/kv.js';

const [dataDir, startAt] = process.argv.slice(2);
const store = await createKeyValueStore({ dataDir: dataDir!, namespace: 'test' });
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const results: boolean[] = [];
for (let i = 0; i < 5; i++) results.push(await store.setIfAbsent('lease', { pid: process.pid, i }, 60_000));
await store.close();
process.stdout.write(JSON.stringify(results));
