#!/usr/bin/env bash
# osa-gitops job-started hook for the self-hosted deploy runners (docs/github.md, "Deploy runners").
#
# Install on every deploy runner: copy this file to the host (e.g. /opt/osa-gitops/job-started.sh,
# owned by root, not writable by the runner user) and add to the runner's `.env`:
#   ACTIONS_RUNNER_HOOK_JOB_STARTED=/opt/osa-gitops/job-started.sh
#   OSA_GITOPS_REPOSITORY=<owner>/<repo>          (optional: the only repository allowed)
# The runner runs it (`bash -e <file>`) before every job; a non-zero exit fails the job before any
# of its steps runs.
#
# Why: the runner group's workflow restriction is the first fence, but a setting is easy to get
# wrong (without `@refs/heads/main` GitHub matches nothing the way one expects), and a writer's
# branch workflow could otherwise use `runs-on: [self-hosted, osa-deploy-<site>]` without the
# environment's reviewers. This hook allows only the `deploy` job of `.github/workflows/deploy.yml`
# (and the read-only `drift` job of drift.yml and `preview` job of preview.yml, see below) on the
# repository's default branch, as the runner itself reports it: GITHUB_WORKFLOW_REF,
# GITHUB_REF and GITHUB_JOB are set by the runner (a workflow cannot override GITHUB_* variables),
# and GITHUB_EVENT_PATH is the runner's copy of the event (default branch from
# `repository.default_branch`). Anything missing or unreadable refuses: it fails closed.
set -euo pipefail

# Values from the job are printed only through this: no workflow command or escape gets out.
shown() { printf '%s' "$1" | tr -c 'A-Za-z0-9._/@:+=-' '?'; }
refuse() {
  echo "osa-gitops runner hook: refusing this job on a deploy runner: $*" >&2
  exit 1
}

workflow_ref=${GITHUB_WORKFLOW_REF:-}
repository=${GITHUB_REPOSITORY:-}
ref=${GITHUB_REF:-}
job=${GITHUB_JOB:-}
event_name=${GITHUB_EVENT_NAME:-}
event_path=${GITHUB_EVENT_PATH:-}
workflow_file=${OSA_GITOPS_DEPLOY_WORKFLOW:-deploy.yml}
deploy_job=${OSA_GITOPS_DEPLOY_JOB:-deploy}

[ -n "$workflow_ref" ] || refuse 'GITHUB_WORKFLOW_REF is not set (an outdated runner?)'
[ -n "$repository" ] || refuse 'GITHUB_REPOSITORY is not set'
if [ -n "${OSA_GITOPS_REPOSITORY:-}" ] && [ "$repository" != "$OSA_GITOPS_REPOSITORY" ]; then
  refuse "the repository $(shown "$repository") is not $(shown "$OSA_GITOPS_REPOSITORY")"
fi
[ -n "$event_path" ] && [ -f "$event_path" ] || refuse 'there is no event payload (GITHUB_EVENT_PATH)'
command -v python3 >/dev/null 2>&1 || refuse 'python3 is needed to read the event payload'

default_branch=$(
  python3 - "$event_path" <<'PY'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        event = json.load(f)
    branch = (event.get("repository") or {}).get("default_branch")
except Exception:
    branch = None
print(branch if isinstance(branch, str) else "")
PY
) || refuse 'the event payload cannot be read'
# A scheduled run's payload may name no repository; the runner's own .env can say it instead.
default_branch=${OSA_GITOPS_DEFAULT_BRANCH:-$default_branch}
[ -n "$default_branch" ] || refuse 'the event payload names no default branch (set OSA_GITOPS_DEFAULT_BRANCH in the runner .env)'

# The jobs that may run on a deploy runner, each only from the default branch's workflow file and
# only for the events that workflow is meant for (docs/github.md, docs/runner-insight.md):
#   deploy.yml   job deploy    push, workflow_dispatch
#   drift.yml    job drift     schedule, workflow_dispatch   (reads the config dir)
#   preview.yml  job preview   workflow_run                  (reads the config dir)
prefix="$repository/.github/workflows/"
suffix="@refs/heads/$default_branch"
case "$workflow_ref" in
  "$prefix$workflow_file$suffix") events='push workflow_dispatch' allowed_job=$deploy_job ;;
  "${prefix}drift.yml$suffix") events='schedule workflow_dispatch' allowed_job=drift ;;
  "${prefix}preview.yml$suffix") events='workflow_run' allowed_job=preview ;;
  *) refuse "the workflow $(shown "$workflow_ref") is not $(shown "$prefix$workflow_file$suffix") or drift.yml/preview.yml there" ;;
esac
case " $events " in
  *" $event_name "*) ;;
  *) refuse "the event $(shown "$event_name") does not run $(shown "$workflow_ref") on a deploy runner (only: $events)" ;;
esac
[ "$ref" = "refs/heads/$default_branch" ] ||
  refuse "the ref $(shown "$ref") is not the default branch refs/heads/$(shown "$default_branch")"
[ "$job" = "$allowed_job" ] || refuse "the job $(shown "$job") is not the $(shown "$allowed_job") job"

echo "osa-gitops runner hook: $(shown "$workflow_ref"), job $(shown "$job"): allowed"
