/**
 * Fails (exit 1) when the committed generated files differ from what `npm run codegen` would write
 * now, so a schema change cannot land without its regenerated types.
 */
import { readFileSync } from 'node:fs';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
const outputs = (await generate({ ...config, silent: true }, false)) as Array<{
  filename: string;
  content: string;
}>;
const stale = outputs.filter((o) => {
  try {
    return readFileSync(o.filename, 'utf8') !== o.content;
  } catch {
    return true;
  }
});
if (stale.length > 0) {
  console.error(`Generated files are stale: ${stale.map((o) => o.filename).join(', ')}. Run \`npm run codegen\` and commit.`);
  process.exit(1);
}
console.log(`codegen: ${outputs.length} generated files are up to date`);
