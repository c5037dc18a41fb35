# The wildcard example of ACR's documentation. Permissions add up: the token can read,
# write and delete `sample/teama/projectb`, and read and write `sample/teama/projectc`.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

scope_map "MyWildcardScopeMap" {
  repositories = {
    "sample/*"              = ["content/read"]
    "sample/teama/*"        = ["content/write"]
    "sample/teama/projectb" = ["content/delete"]
  }
}

token "MyWildcardToken" {
  scope_map = "MyWildcardScopeMap"
}
