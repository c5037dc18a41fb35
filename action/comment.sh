#!/usr/bin/env bash
# The action's comment step: post the plan on the pull request, or update the comment an
# earlier run of this action posted (found by its marker), so a pull request has one.
#
# In (environment): GH_TOKEN, REPO, PR, RUNNER_TEMP (scopeform-comment.md from plan.sh).
set -euo pipefail

marker='<!-- scopeform-plan -->'
body_file="$RUNNER_TEMP/scopeform-comment.md"
existing=$(gh api "repos/$REPO/issues/$PR/comments" --paginate \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$REPO/issues/comments/$existing" -F "body=@$body_file" > /dev/null
  echo "Updated comment $existing"
else
  gh api --method POST "repos/$REPO/issues/$PR/comments" -F "body=@$body_file" > /dev/null
  echo "Posted the plan comment"
fi
