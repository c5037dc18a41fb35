
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'scopeform' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'scopeform'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'scopeform' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the configuration and print every problem at once')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Compare the configuration with the live registry and print the changes')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out the plan (or a saved plan) against the live registry')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Report where the live registry differs from the configuration')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show the access difference between two configurations (paths or git:REV:PATH)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show a token''s effective permissions, or who can access a repository')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Audit the configuration (and the live registry) for risky or wasteful access')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the YAML configuration')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a saved plan (from `plan --out`) without touching the registry')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write the live registry''s state to a snapshot file')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a configuration that reproduces the live registry')
            [CompletionResult]::new('fmt', 'fmt', [CompletionResultType]::ParameterValue, 'Rewrite configuration files in the canonical layout; --check lists those that differ')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), for release archives')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scopeform;validate' {
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'With a workspace: only these registries (repeatable, or comma separated)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print problems: text, json, or github (Actions annotations, shown inline in a pull request)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;plan' {
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'With a workspace: only these registries (repeatable, or comma separated)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the plan: text, json or markdown (for a PR comment)')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Mark each change as coming from the configuration change since git revision REV, from drift in the registry, or both (the same paths are read as they were at REV; those that did not exist then are left out, and if none did, every change is the configuration''s)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Plan only this object and what it depends on (repeatable), as Terraform''s -target: for repairs, not routine use. A token''s target includes its password slots')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Save the plan for `scopeform apply --plan FILE`. With a workspace: a directory that receives NAME.plan for each registry')
            [CompletionResult]::new('--secrets', '--secrets', [CompletionResultType]::ParameterName, 'The secrets file `apply --secrets-out` will use (read, never written): a password an interrupted apply generated and never saved there is planned to be rotated again. With a workspace: a directory holding NAME.json for each registry')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Give this password slot a new password even if it is healthy, as Terraform''s `-replace` does (repeatable): `--replace token.NAME.password1`')
            [CompletionResult]::new('--keyvault-endpoint', '--keyvault-endpoint', [CompletionResultType]::ParameterName, 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator''s (plain http:// only on loopback)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 2 when there are changes and 0 when there are none (1 stays "error")')
            [CompletionResult]::new('--key-vault', '--key-vault', [CompletionResultType]::ParameterName, 'Also compare with the configuration''s Key Vault (`secrets.key_vault`), as `apply` does: a live password that is not the newest version delivered for its slot is planned to be rotated again. Needs `secrets/list` (no values). Use it for a plan saved with `--out`: `apply --plan` checks only the passwords the plan generates')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;apply' {
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'With a workspace: only these registries (repeatable, or comma separated)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Apply exactly this saved plan (from `plan --out`); refused if the registry changed since. With a workspace: a directory holding NAME.plan for each registry')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Apply only this object and what it depends on (repeatable), as Terraform''s -target')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'How many writes may be in flight at once')
            [CompletionResult]::new('--secrets-out', '--secrets-out', [CompletionResultType]::ParameterName, 'Where generated passwords go (JSON, mode 0600, merged, never overwritten). Required when the plan rotates a password. Each rotation is recorded there before it is requested: given the same file, a later apply rotates again any password an interrupted apply generated and never saved, and says so. One apply at a time: FILE.lock is held. With a workspace: a directory; each registry''s passwords go to NAME.json in it')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Give this password slot a new password even if it is healthy (repeatable): `--replace token.NAME.password1`. A saved plan already says what it replaces')
            [CompletionResult]::new('--keyvault-endpoint', '--keyvault-endpoint', [CompletionResultType]::ParameterName, 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator''s (plain http:// only on loopback)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Don''t ask for confirmation (needed when not on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;drift' {
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'With a workspace: only these registries (repeatable, or comma separated)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--secrets', '--secrets', [CompletionResultType]::ParameterName, 'The secrets file `apply --secrets-out` wrote: a live password created after the one it recorded was rotated by someone else, or generated by an interrupted apply and lost. With a workspace: a directory holding NAME.json for each registry')
            [CompletionResult]::new('--keyvault-endpoint', '--keyvault-endpoint', [CompletionResultType]::ParameterName, 'Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such as an emulator''s (plain http:// only on loopback)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text, json or markdown (for a PR comment or an issue)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--key-vault', '--key-vault', [CompletionResultType]::ParameterName, 'Also compare with the configuration''s Key Vault (`secrets.key_vault`): a live password that is not the newest version delivered for its slot is drift, since a consumer reading Key Vault does not have it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the differences: text, json or markdown (for a PR comment)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;explain' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The token to explain')
            [CompletionResult]::new('--repository', '--repository', [CompletionResultType]::ParameterName, 'A repository (such as `samples/hello-world`): with --token, the token''s permissions on it; alone, every token with access to it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text, json or markdown')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;lint' {
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving one combined report and exit status. Without PATH and without this flag, a scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit PATH always means a single configuration')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'With a workspace: only these registries (repeatable, or comma separated)')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'With a workspace: registry NAME is this one, whatever its configuration says (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every registry the run reads must be pinned, so a pull request can neither move a registry nor add one')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With a workspace: how many registries are read and planned at once (default: the number of CPUs). Peak memory grows with this number, not with the number of registries')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the findings: text, json, markdown, or github (Actions annotations, shown inline in a pull request)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Also lint the live registry the configuration names (implied by --state)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Print the schema of the workspace file (scopeform.workspace.yaml) instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the plan: text, json or markdown (for a PR comment)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;snapshot' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the snapshot; `-` for standard output')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the snapshot; `-` for standard output')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The configuration language')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Export only these live objects (repeatable), to adopt them one by one: `token.NAME` (with its scope map), `scope_map.NAME`, `connected_registry.NAME`, or `registry.admin_user` for the registry block')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the configuration; standard output when omitted')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the configuration; standard output when omitted')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Read (and, for apply, update) a snapshot file instead of the live registry. With `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'The registry''s subscription (a GUID); overrides the configuration')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'The registry''s resource group; overrides the configuration')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry''s name; overrides the configuration')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default), AzureChinaCloud or AzureUSGovernment. A configuration''s `registry.cloud` must agree')
            [CompletionResult]::new('--arm-endpoint', '--arm-endpoint', [CompletionResultType]::ParameterName, 'Another ARM endpoint, such as an emulator (plain http:// only on loopback)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;fmt' {
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'The language of standard input (`-`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Write nothing; list the files that are not formatted, and exit 1 if there are any')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print the changes as a unified diff (with --check too)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Also format the configuration files in subdirectories (not hidden ones, no links)')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Also format the configuration files in subdirectories (not hidden ones, no links)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours pipes too), always (pipes and CI logs included) or never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done on stderr (requests, retries, timings). Never prints secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scopeform;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the configuration and print every problem at once')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Compare the configuration with the live registry and print the changes')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out the plan (or a saved plan) against the live registry')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Report where the live registry differs from the configuration')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show the access difference between two configurations (paths or git:REV:PATH)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show a token''s effective permissions, or who can access a repository')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Audit the configuration (and the live registry) for risky or wasteful access')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the YAML configuration')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a saved plan (from `plan --out`) without touching the registry')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write the live registry''s state to a snapshot file')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a configuration that reproduces the live registry')
            [CompletionResult]::new('fmt', 'fmt', [CompletionResultType]::ParameterValue, 'Rewrite configuration files in the canonical layout; --check lists those that differ')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), for release archives')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scopeform;help;validate' {
            break
        }
        'scopeform;help;plan' {
            break
        }
        'scopeform;help;apply' {
            break
        }
        'scopeform;help;drift' {
            break
        }
        'scopeform;help;diff' {
            break
        }
        'scopeform;help;explain' {
            break
        }
        'scopeform;help;lint' {
            break
        }
        'scopeform;help;schema' {
            break
        }
        'scopeform;help;show' {
            break
        }
        'scopeform;help;snapshot' {
            break
        }
        'scopeform;help;export' {
            break
        }
        'scopeform;help;fmt' {
            break
        }
        'scopeform;help;completions' {
            break
        }
        'scopeform;help;man' {
            break
        }
        'scopeform;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
