export { describeRequiring, executable, pythonModules, requirementStatus, source } from './requires';
export type { Requirement, RequirementStatus } from './requires';
export { describePurePackage, importsOf } from './pure-package';
