# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_scopeform_global_optspecs
    string join \n color= v/verbose h/help V/version
end

function __fish_scopeform_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_scopeform_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_scopeform_using_subcommand
    set -l cmd (__fish_scopeform_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c scopeform -n "__fish_scopeform_needs_command" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_needs_command" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_needs_command" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_needs_command" -s V -l version -d 'Print version'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "validate" -d 'Check the configuration and print every problem at once'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "plan" -d 'Compare the configuration with the live registry and print the changes'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "apply" -d 'Carry out the plan (or a saved plan) against the live registry'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "drift" -d 'Report where the live registry differs from the configuration'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "diff" -d 'Show the access difference between two configurations (paths or git:REV:PATH)'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "explain" -d 'Show a token\'s effective permissions, or who can access a repository'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "lint" -d 'Audit the configuration (and the live registry) for risky or wasteful access'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "schema" -d 'Print the JSON Schema of the YAML configuration'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "show" -d 'Print a saved plan (from `plan --out`) without touching the registry'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "snapshot" -d 'Write the live registry\'s state to a snapshot file'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "export" -d 'Write a configuration that reproduces the live registry'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "fmt" -d 'Rewrite configuration files in the canonical layout; --check lists those that differ'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "man" -d 'Print the man page (roff), for release archives'
complete -c scopeform -n "__fish_scopeform_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l workspace -d 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l only -d 'With a workspace: only these registries (repeatable, or comma separated)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l pin -d 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l jobs -d 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l format -d 'How to print problems: text, json, or github (Actions annotations, shown inline in a pull request)' -r -f -a "text\t''
json\t''
github\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand validate" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l workspace -d 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l only -d 'With a workspace: only these registries (repeatable, or comma separated)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l pin -d 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l jobs -d 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l format -d 'How to print the plan: text, json or markdown (for a PR comment)' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l base -d 'Mark each change as coming from the configuration change since git revision REV, from drift in the registry, or both (the same paths are read as they were at REV; those that did not exist then are left out, and if none did, every change is the configuration\'s)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l target -d 'Plan only this object and what it depends on (repeatable), as Terraform\'s -target: for repairs, not routine use. A token\'s target includes its password slots' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l out -d 'Save the plan for `scopeform apply --plan FILE`. With a workspace: a directory that receives NAME.plan for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l secrets -d 'The secrets file `apply --secrets-out` will use (read, never written): a password an interrupted apply generated and never saved there is planned to be rotated again. With a workspace: a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l replace -d 'Give this password slot a new password even if it is healthy, as Terraform\'s `-replace` does (repeatable): `--replace token.NAME.password1`' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l keyvault-endpoint -d 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator\'s (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l detailed-exitcode -d 'Exit 2 when there are changes and 0 when there are none (1 stays "error")'
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -l key-vault -d 'Also compare with the configuration\'s Key Vault (`secrets.key_vault`), as `apply` does: a live password that is not the newest version delivered for its slot is planned to be rotated again. Needs `secrets/list` (no values). Use it for a plan saved with `--out`: `apply --plan` checks only the passwords the plan generates'
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand plan" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l workspace -d 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l only -d 'With a workspace: only these registries (repeatable, or comma separated)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l pin -d 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l plan -d 'Apply exactly this saved plan (from `plan --out`); refused if the registry changed since. With a workspace: a directory holding NAME.plan for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l target -d 'Apply only this object and what it depends on (repeatable), as Terraform\'s -target' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l parallelism -d 'How many writes may be in flight at once' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l secrets-out -d 'Where generated passwords go (JSON, mode 0600, merged, never overwritten). Required when the plan rotates a password. Each rotation is recorded there before it is requested: given the same file, a later apply rotates again any password an interrupted apply generated and never saved, and says so. One apply at a time: FILE.lock is held. With a workspace: a directory; each registry\'s passwords go to NAME.json in it' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l replace -d 'Give this password slot a new password even if it is healthy (repeatable): `--replace token.NAME.password1`. A saved plan already says what it replaces' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l keyvault-endpoint -d 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator\'s (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -l auto-approve -d 'Don\'t ask for confirmation (needed when not on a terminal)'
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand apply" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l workspace -d 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l only -d 'With a workspace: only these registries (repeatable, or comma separated)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l pin -d 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l jobs -d 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l secrets -d 'The secrets file `apply --secrets-out` wrote: a live password created after the one it recorded was rotated by someone else, or generated by an interrupted apply and lost. With a workspace: a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l keyvault-endpoint -d 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator\'s (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l format -d 'How to print the report: text, json or markdown (for a PR comment or an issue)' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -l key-vault -d 'Also compare with the configuration\'s Key Vault (`secrets.key_vault`): a live password that is not the newest version delivered for its slot is drift, since a consumer reading Key Vault does not have it'
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand drift" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand diff" -l format -d 'How to print the differences: text, json or markdown (for a PR comment)' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand diff" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand diff" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand diff" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -l token -d 'The token to explain' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -l repository -d 'A repository (such as `samples/hello-world`): with --token, the token\'s permissions on it; alone, every token with access to it' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -l format -d 'How to print the report: text, json or markdown' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand explain" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l workspace -d 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l only -d 'With a workspace: only these registries (repeatable, or comma separated)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l pin -d 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l jobs -d 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l format -d 'How to print the findings: text, json, markdown, or github (Actions annotations, shown inline in a pull request)' -r -f -a "text\t''
json\t''
markdown\t''
github\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -l live -d 'Also lint the live registry the configuration names (implied by --state)'
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand lint" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand schema" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand schema" -l workspace -d 'Print the schema of the workspace file (scopeform.workspace.yaml) instead'
complete -c scopeform -n "__fish_scopeform_using_subcommand schema" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand schema" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand show" -l format -d 'How to print the plan: text, json or markdown (for a PR comment)' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand show" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand show" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand show" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -s o -l out -d 'Where to write the snapshot; `-` for standard output' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l format -d 'The configuration language' -r -f -a "yaml\t''
hcl\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l only -d 'Export only these live objects (repeatable), to adopt them one by one: `token.NAME` (with its scope map), `scope_map.NAME`, `connected_registry.NAME`, or `registry.admin_user` for the registry block' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -s o -l out -d 'Where to write the configuration; standard output when omitted' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l state -d 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry' -r -F
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l subscription -d 'The registry\'s subscription (a GUID); overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l resource-group -d 'The registry\'s resource group; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l registry -d 'The registry\'s name; overrides the configuration' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l cloud -d 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration\'s `registry.cloud` must agree' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l arm-endpoint -d 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)' -r
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand export" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -l language -d 'The language of standard input (`-`)' -r -f -a "yaml\t''
hcl\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -l check -d 'Write nothing; list the files that are not formatted, and exit 1 if there are any'
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -l diff -d 'Print the changes as a unified diff (with --check too)'
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -s r -l recursive -d 'Also format the configuration files in subdirectories (not hidden ones, no links)'
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand fmt" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand completions" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand completions" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand completions" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand man" -l color -d 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c scopeform -n "__fish_scopeform_using_subcommand man" -s v -l verbose -d 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets'
complete -c scopeform -n "__fish_scopeform_using_subcommand man" -s h -l help -d 'Print help'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "validate" -d 'Check the configuration and print every problem at once'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "plan" -d 'Compare the configuration with the live registry and print the changes'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "apply" -d 'Carry out the plan (or a saved plan) against the live registry'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "drift" -d 'Report where the live registry differs from the configuration'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "diff" -d 'Show the access difference between two configurations (paths or git:REV:PATH)'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "explain" -d 'Show a token\'s effective permissions, or who can access a repository'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "lint" -d 'Audit the configuration (and the live registry) for risky or wasteful access'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "schema" -d 'Print the JSON Schema of the YAML configuration'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "show" -d 'Print a saved plan (from `plan --out`) without touching the registry'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "snapshot" -d 'Write the live registry\'s state to a snapshot file'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "export" -d 'Write a configuration that reproduces the live registry'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "fmt" -d 'Rewrite configuration files in the canonical layout; --check lists those that differ'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "completions" -d 'Print shell completions'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "man" -d 'Print the man page (roff), for release archives'
complete -c scopeform -n "__fish_scopeform_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift diff explain lint schema show snapshot export fmt completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
