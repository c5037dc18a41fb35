# A connected registry in ReadOnly mode and the client tokens its devices pull with.
# A ReadOnly connected registry accepts only client tokens that cannot write.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

scope_map "edge-pull" {
  description = "What the devices behind edge01 may pull"
  repositories = {
    "hello-world" = ["content/read", "metadata/read"]
    "edge/*"      = ["content/read"]
  }
}

token "edge-device" {
  scope_map = "edge-pull"
}

token "edge-operator" {
  scope_map = "_repositories_pull_metadata_read"
}

connected_registry "edge01" {
  mode          = "ReadOnly"
  client_tokens = ["edge-device", "edge-operator"]
}
