// Verify: what is live on a site (facts gathered elsewhere) judged against its definition.
export * from './live-facts';
export { verifyExpectations, type VerifyExpectations } from './expectations';
export {
  CHECK_IDS,
  judgeSite,
  type AppliedStages,
  type CheckId,
  type CheckStatus,
  type VerifyCheck,
  type VerifyResult,
} from './judge';
export {
  expectedFrontends,
  FRONTEND_GROUPS,
  OSA_BASE_FRONTENDS,
  OSA_SERVICE_FRONTENDS,
  type ExpectedFrontend,
  type FrontendBinds,
  type FrontendTls,
  type OsaFrontend,
} from './osa-frontends';
export {
  findingPlace,
  formatVerifyMarkdown,
  formatVerifyText,
  verifyResultToJson,
  type VerifyResultJson,
} from './format-verify';
