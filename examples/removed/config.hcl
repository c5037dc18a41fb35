# Taking access away: with no state file, a token or scope map deleted from the configuration
# is simply no longer managed (`unmanaged` decides, and by default leaves it working). Name it
# under `removed` to revoke it. An entry whose object is already gone does nothing, so it can
# stay until everyone's registries have caught up.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

scope_map "team-a-push" {
  repositories = { "team-a/*" = ["content/read", "content/write"] }
}

token "ci-team-a" {
  scope_map = "team-a-push"
}

removed {
  tokens = {
    old-ci     = "delete" # delete | disable (disabled: keeps its passwords, grants nothing)
    contractor = "disable"
  }
  scope_maps = {
    old-ci-push = "delete" # a scope map can only be deleted
  }
}
