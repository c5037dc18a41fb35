//! scopeform: Azure Container Registry access as code.
