# wrk-deno as a container image: the single binary (`deno task compile`, which downloads the Deno runtime it
# embeds, so the build needs the network) on a small base with glibc and CA certificates. Used by the
# Kubernetes Indexed Job in deploy/kubernetes/ (docs/scale-out.md).
#
#   docker build -t wrk-deno .
#   docker run --rm --network host wrk-deno -t2 -c50 -d10s http://127.0.0.1:8080/
FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY . .
RUN deno install --frozen && deno task compile

FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/dist/wrk-deno /usr/local/bin/wrk-deno
ENTRYPOINT ["/usr/local/bin/wrk-deno"]
