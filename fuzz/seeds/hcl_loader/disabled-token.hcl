# A disabled token keeps its scope map and passwords but cannot authenticate.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

token "MyDisabledToken" {
  scope_map = "_repositories_pull"
  status    = "disabled"
}
