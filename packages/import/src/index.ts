export { parseConfigDir, type ConfigFile, type ParsedConfigDir } from './config-dir';
export {
  IMPORT_FINDING_CODES,
  ImportInputError,
  formatSourcePath,
  sortFindings,
  type FindingKind,
  type ImportFinding,
  type ImportFindingCode,
} from './findings';
export { importConfigDir, type HostFilenames, type ImportOptions, type ImportResult } from './import-config';
export { BOND_NICS_PROBE, printEnvironment, type PrintOptions, type SharedBase } from './print-environment';
