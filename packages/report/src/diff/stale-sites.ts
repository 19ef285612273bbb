import type { StaleSite } from './types';

/**
 * What each renderer says about stale sites, in one place so text, Markdown and the PR report
 * agree. The report itself only compares committed trees; these lines say that it is missing a
 * change and what brings it in.
 */
export function staleSiteLine(s: StaleSite): string {
  switch (s.evidence) {
    case 'render':
      return (
        `${s.site}: its definition renders differently from its committed tree ` +
        `(${s.files.length} file${s.files.length === 1 ? '' : 's'}: ${s.files.slice(0, 5).join(', ')}${s.files.length > 5 ? ', …' : ''}). ` +
        `Run "osa-gitops render ${s.site}" and commit the result.`
      );
    case 'invalid':
      return `${s.site}: its definition does not validate, so no tree renders from it. Run "osa-gitops validate ${s.site}", fix it, then "osa-gitops render ${s.site}" and commit.`;
    case 'definition-changed':
      return `${s.site}: its definition changed but its committed tree did not. Check it with "osa-gitops check ${s.site}" on that commit; if stale, run "osa-gitops render ${s.site}" and commit.`;
  }
}

/** The sentence before the list: why these sites matter for this report. */
export function staleHeadline(stale: readonly StaleSite[]): string {
  const n = stale.length;
  return (
    `STALE: ${n} site${n === 1 ? "'s" : "s'"} committed tree${n === 1 ? ' does' : 's do'} not follow ` +
    `${n === 1 ? 'its definition' : 'their definitions'}. This report and the deploy plan read committed trees, ` +
    `so they leave out what changed in ${n === 1 ? 'it' : 'them'}, and CI fails until the trees are rendered and committed:`
  );
}
