import { EnvironmentSchema } from '@osa-gitops/core';
import { renderEnvironment, formatVerifyText } from '@osa-gitops/render';
import guide from './environments/guide-lab/environment';
import { Twin } from './packages/twin/src/twin';
import { upstreamFromEnv } from './packages/twin/src/role-config';
import { runShippedVerify } from './packages/twin/src/shipped-verify';
(async () => {
  const env = EnvironmentSchema.parse(guide);
  const tree = renderEnvironment(env);
  const t0 = Date.now();
  const twin = await Twin.start({ environment: env, tree, sources: upstreamFromEnv(), log: (l) => console.log((Date.now()-t0)+'ms', l) });
  try {
    const v = await runShippedVerify(twin, 'guide-lab', tree);
    console.log('code', v.code, (Date.now()-t0)+'ms');
    if (v.json) console.log(formatVerifyText(v.json as any)); else console.log(v.stdout, v.stderr.slice(-3000));
  } finally { twin.destroy(); }
})().catch((e) => { console.error(e); process.exit(1); });
