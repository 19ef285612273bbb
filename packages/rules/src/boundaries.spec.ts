import { describePurePackage } from '@osa-gitops/test-support';

// rules is pure like core (ADR 0012): it reads the model and reports issues.
describePurePackage('rules', __dirname, ['@osa-gitops/core', 'zod']);
