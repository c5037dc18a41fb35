# A token bound to one of ACR's system scope maps, which exist in every registry and are
# never changed.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

token "MyPullToken" {
  scope_map = "_repositories_pull"
}
