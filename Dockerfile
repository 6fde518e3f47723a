# syntax=docker/dockerfile:1
# Multi-stage build: the SDK image (plus Node for the chart library) builds and publishes; the
# runtime image has ffmpeg, runs as a non-root user and keeps the data directory on a volume.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish Terminal.Web/Terminal.Web.csproj -c Release -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system terminal && useradd --system --gid terminal --home /app terminal \
 && mkdir -p /data && chown terminal:terminal /data
WORKDIR /app
COPY --from=build --chown=terminal:terminal /app/publish .
ENV ASPNETCORE_URLS=http://+:8080 \
    Terminal__DataDirectory=/data
VOLUME ["/data"]
EXPOSE 8080
USER terminal
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
ENTRYPOINT ["dotnet", "Terminal.Web.dll"]
