# shellcheck shell=bash
# .NET has no stand-in: no registry reachable from these machines ships the .NET
# SDK or runtime (they come from Microsoft's own feeds and image registry), and a
# stand-in that only pretended to be mcr.microsoft.com/dotnet/sdk would prove
# nothing. .NET plans are proven by plan and LLB tests (test/unit/provider-dotnet.test.ts),
# not end to end; README's support table says so.
