# The root wildcard `*`: every repository of the registry, including those not pushed yet.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

token "MyRootToken" {
  repositories = {
    "*" = ["content/read", "metadata/read"]
  }
}
