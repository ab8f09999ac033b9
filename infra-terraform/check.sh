#!/usr/bin/env bash
# Checks of the deployment code, called from .ci/run:
#   1. terraform fmt -check -recursive, then in every module and example: init (offline, from the
#      local provider mirror), validate, and `terraform test` (tests/*.tftest.hcl, mock providers:
#      nothing is created anywhere);
#   2. shellcheck over every shell script in the repository: *.sh and every file whose #! line
#      names a shell (such as .ci/run).
# A missing tool or provider mirror is reported LOUDLY. Under CI (CI=true, as .ci/run is run) it
# fails the check; elsewhere it is skipped (exit 0), never passed silently.
# Nothing is left in the work tree: .terraform goes to a temporary TF_DATA_DIR and lock files
# created here are removed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/.." && pwd)"
status=0

loud() {
  printf '\n%s\n%s\n%s\n\n' "################################################################" "$*" "################################################################" >&2
}

# A tool this check needs is missing: under CI that is a failure, elsewhere a loud skip.
missing() {
  if [[ "${CI:-}" == "true" ]]; then
    loud "FAIL: $* (CI=true: the check cannot be skipped)"
    status=1
  else
    loud "WARNING: $* SKIPPED"
  fi
}

# --- Terraform ------------------------------------------------------------------------------

find_plugin_dir() {
  if [[ -n "${SNAPLINE_TF_PLUGIN_DIR:-}" && -d "${SNAPLINE_TF_PLUGIN_DIR}/registry.terraform.io" ]]; then
    printf '%s\n' "${SNAPLINE_TF_PLUGIN_DIR}"
    return 0
  fi
  # The provider binary sits at <dir>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/;
  # -plugin-dir wants <dir>.
  local binary
  binary="$(find / -name 'terraform-provider-aws_*' -path '*registry.terraform.io*' 2>/dev/null | head -n 1 || true)"
  if [[ -z "${binary}" ]]; then
    return 1
  fi
  local dir="${binary%%/registry.terraform.io/*}"
  printf '%s\n' "${dir}"
}

terraform_checks() {
  if ! command -v terraform >/dev/null 2>&1; then
    missing "terraform is not installed: terraform fmt/init/validate/test"
    return 0
  fi
  local plugin_dir
  if ! plugin_dir="$(find_plugin_dir)"; then
    missing "no terraform-provider-aws under any registry.terraform.io plugin directory (or SNAPLINE_TF_PLUGIN_DIR): terraform validate/test"
    return 0
  fi
  # An empty CLI configuration: no ~/.terraformrc is needed (and none is read) for offline checks.
  local cli_config
  cli_config="$(mktemp)"
  export TF_CLI_CONFIG_FILE="${cli_config}"
  echo "terraform: $(terraform version | head -n 1), provider mirror ${plugin_dir}"

  if ! terraform fmt -check -recursive -diff "${here}"; then
    echo "FAIL: terraform fmt -check (run: terraform fmt -recursive infra-terraform)" >&2
    status=1
  fi

  local data_root
  data_root="$(mktemp -d)"
  local dir name had_lock
  for dir in "${here}"/modules/* "${here}"/examples/*; do
    [[ -d "${dir}" ]] || continue
    name="${dir#"${here}"/}"
    had_lock=false
    [[ -f "${dir}/.terraform.lock.hcl" ]] && had_lock=true
    export TF_DATA_DIR="${data_root}/${name//\//_}"
    if (cd "${dir}" && terraform init -backend=false -input=false -no-color -plugin-dir="${plugin_dir}" >"${TF_DATA_DIR}.init.log" 2>&1) \
      && (cd "${dir}" && terraform validate -no-color); then
      echo "ok: validate ${name}"
      if compgen -G "${dir}/tests/*.tftest.hcl" >/dev/null; then
        if (cd "${dir}" && terraform test -no-color); then
          echo "ok: terraform test ${name}"
        else
          echo "FAIL: terraform test in ${name}" >&2
          status=1
        fi
      else
        echo "FAIL: ${name} has no tests/*.tftest.hcl: every module and example is tested" >&2
        status=1
      fi
    else
      [[ -f "${TF_DATA_DIR}.init.log" ]] && cat "${TF_DATA_DIR}.init.log" >&2
      echo "FAIL: terraform init/validate in ${name}" >&2
      status=1
    fi
    if [[ "${had_lock}" == false ]]; then
      rm -f "${dir}/.terraform.lock.hcl"
    fi
    unset TF_DATA_DIR
  done
  rm -rf "${data_root}" "${cli_config}"
  unset TF_CLI_CONFIG_FILE
}

# --- shellcheck -----------------------------------------------------------------------------

# A shell script: a *.sh file, or a file whose first line is a #! naming sh, bash, dash or ksh.
is_shell_script() {
  local f="$1" first
  [[ "${f}" == *.sh ]] && return 0
  IFS= read -r first <"${f}" 2>/dev/null || return 1
  [[ "${first}" =~ ^\#\!.*(/|env[[:space:]]+)(ba|da|k)?sh([[:space:]]|$) ]]
}

shell_checks() {
  if ! command -v shellcheck >/dev/null 2>&1; then
    missing "shellcheck is not installed (apt-get install -y shellcheck): shell script checks"
    return 0
  fi
  local scripts=() f
  while IFS= read -r -d '' f; do
    if is_shell_script "${f}"; then
      scripts+=("${f}")
    fi
  done < <(find "${repo}" -type f -not -path '*/.git/*' -not -path '*/target/*' -not -path '*/node_modules/*' \
    -not -path '*/.terraform/*' -not -name '*.jar' -not -name '*.class' -print0)
  if [[ ${#scripts[@]} -eq 0 ]]; then
    echo "FAIL: shellcheck found no shell script at all (.ci/run is one): the search is broken" >&2
    status=1
    return 0
  fi
  if shellcheck --external-sources "${scripts[@]}"; then
    echo "shellcheck: ${#scripts[@]} scripts ok: ${scripts[*]#"${repo}"/}"
  else
    echo "FAIL: shellcheck" >&2
    status=1
  fi
}

terraform_checks
shell_checks
exit "${status}"
