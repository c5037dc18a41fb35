# scopeform's container image: the release's static (musl) binary on distroless, run as a
# non-root user. The release workflow (.github/workflows/publish-image.yml) builds it for
# linux/amd64 and linux/arm64 from the archives that same release built and checksummed,
# unpacked to bin/amd64/scopeform and bin/arm64/scopeform: nothing is compiled here.
#
#   docker run --rm -v "$PWD:/work" ghcr.io/scopeform/scopeform:0.1.0 plan acr/ --state live.json
#
# Credentials come from the environment as for the binary (SCOPEFORM_ARM_TOKEN, AZURE_* for a
# client secret or workload identity); the image has no Azure CLI.

# distroless/static: CA certificates, tzdata, /etc/passwd with the `nonroot` user (65532), no
# shell and no package manager.
FROM gcr.io/distroless/static-debian12:nonroot

ARG TARGETARCH
COPY --chmod=0555 bin/${TARGETARCH}/scopeform /usr/local/bin/scopeform

USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/scopeform"]
CMD ["--help"]
