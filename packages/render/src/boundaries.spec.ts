import { describePurePackage } from '@osa-gitops/test-support';

// render is pure like core (ADR 0012): a validated site in, file texts and expectations out.
describePurePackage('render', __dirname, [
  '@osa-gitops/core',
  '@osa-gitops/rules',
  'yaml',
  'ipaddr.js',
  'zod',
]);
