/**
 * `npm run key -- <name> [roles] [tenant]`: makes a new API key and prints it once, with the entry
 * to add to `FIELDGRAPH_API_KEYS` (or `auth.apiKeys` of the config file). Only the entry, which
 * holds the key's hash, goes into configuration; the key goes to the service that will use it.
 *
 *   npm run key -- dispatch-bot dispatcher,billing
 */
import { ApiKeyEntrySchema, generateApiKey, hashApiKey } from '../src/auth/credentials.js';
import { DEFAULT_TENANT } from '../src/ids.js';

const [name, roles = 'viewer', tenant = DEFAULT_TENANT] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run key -- <name> [roles, comma-separated: viewer,dispatcher,billing,admin] [tenant]');
  process.exit(2);
}
const key = generateApiKey();
const entry = ApiKeyEntrySchema.safeParse({ name, hash: hashApiKey(key), tenant, roles: roles.split(',').map((r) => r.trim()) });
if (!entry.success) {
  console.error(`Invalid key settings:\n${entry.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
console.log(`API key (give it to the service; it is not stored anywhere):\n  ${key}\n`);
console.log(`Configuration entry (add it to FIELDGRAPH_API_KEYS, a JSON array):\n  ${JSON.stringify(entry.data)}`);
