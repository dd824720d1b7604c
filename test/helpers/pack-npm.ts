/**
 * WeChat's official npm builder, `miniprogram-ci`'s packNpm (what DevTools → Tools → Build npm runs), on one
 * mini-program project, in its own process (it is a large Node library that should not share jest's module
 * registry). Needs no network: the project's appid and a throwaway private key are only checked for shape.
 *
 *   node test/helpers/pack-npm.ts <projectDir> <privateKeyPath>   → prints one JSON line {ok, warnings|error}
 */
import * as ci from 'miniprogram-ci';

async function main(): Promise<void> {
  const [projectPath, privateKeyPath] = process.argv.slice(2);
  const project = new ci.Project({
    appid: 'wx0000000000000001',
    type: 'miniProgram',
    projectPath,
    privateKeyPath,
    ignores: ['node_modules/**/*'],
  });
  try {
    const warnings = await ci.packNpm(project, {});
    process.stdout.write(JSON.stringify({ ok: true, warnings }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String((e as Error)?.message ?? e) }) + '\n');
  }
}

void main();
