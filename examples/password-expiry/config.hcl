# Passwords with an expiry: `password1` lives 30 days and is rotated a week before it
# expires; `password2` expires on a fixed date. A token with `passwords: {}` wants none.
# Every password `apply` generates becomes the newest version of the Key Vault secret
# `acr-myregistry-MyToken`: consumers read the newest version.

registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
}

secrets {
  key_vault = "https://myvault.vault.azure.net"
  name      = "acr-{registry}-{token}"
}

token "MyToken" {
  scope_map = "_repositories_push"
  password "password1" {
    expires_in    = "30d"
    rotate_before = "7d"
  }
  password "password2" {
    expiry = "2027-06-30T00:00:00Z"
  }
}

# `passwords = {}` says "passwords are managed, and none is wanted".
token "MyTokenWithoutPasswords" {
  scope_map = "_repositories_pull"
  passwords = {}
}
