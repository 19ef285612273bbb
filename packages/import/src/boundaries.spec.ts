import { describePurePackage } from '@osa-gitops/test-support';

// Import is pure like core (files in, definition and findings out; the loader reads the config dir).
describePurePackage('import', __dirname, ['@osa-gitops/core', '@osa-gitops/rules', 'yaml']);
