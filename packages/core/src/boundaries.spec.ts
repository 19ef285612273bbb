import { describePurePackage } from '@osa-gitops/test-support';

// core is pure: values in, values out (ADR 0001). Only zod and ipaddr.js besides relative files.
describePurePackage('core', __dirname, ['zod', 'ipaddr.js']);
