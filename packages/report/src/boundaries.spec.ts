import { describePurePackage } from '@osa-gitops/test-support';

// report is pure like core (ADR 0012): trees in, plans and reports out.
describePurePackage('report', __dirname, ['@osa-gitops/core', '@osa-gitops/render', 'yaml', 'diff']);
