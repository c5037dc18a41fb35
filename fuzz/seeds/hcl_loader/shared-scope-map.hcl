# One scope map shared by two tokens: a change to the scope map applies to both at once.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

scope_map "MyScopeMap" {
  description = "Sample scope map"
  repositories = {
    "samples/hello-world" = ["content/read", "content/write"]
    "samples/nginx"       = ["content/read"]
  }
}

token "MyToken" {
  scope_map = "MyScopeMap"
}

token "MyOtherToken" {
  scope_map = "MyScopeMap"
}
