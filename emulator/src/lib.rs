//! acr-emulator: a stateful emulator of the ARM API for Azure Container Registry access objects.
