# syntax=docker/dockerfile:1
# ComposerBot: one image for the bot + web (`serve`) and the workers (`worker`).
# Build:  docker build -t composerbot .        Run: see docker-compose.yml and docs/deploy.md.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# patchelf and a C compiler: the TorchSharp fix (build/torchsharp), a no-op where libstdc++ is new enough.
RUN apt-get update \
 && apt-get install -y --no-install-recommends patchelf gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/ComposerBot/ComposerBot.csproj -c Release -o /app --nologo \
 && build/torchsharp/fix-libtorchsharp.sh /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# What the product needs at run time: the synthesizer, the General MIDI SoundFont, the encoders, a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfluidsynth3 musescore-general-soundfont fluid-soundfont-gm ffmpeg libmp3lame0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV COMPOSERBOT_HOME=/app \
    Jobs__DataDirectory=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072
VOLUME ["/data"]
EXPOSE 5080
ENTRYPOINT ["dotnet", "ComposerBot.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:5080"]
