# A token that can pull and push one repository, as `az acr token create --repository`
# makes it: the token gets the implicit scope map `MyToken-scope-map`.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

token "MyToken" {
  repositories = {
    "samples/hello-world" = ["content/read", "content/write"]
  }
}
