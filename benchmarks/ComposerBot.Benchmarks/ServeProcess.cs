using ComposerBot.Tests;

namespace ComposerBot.Benchmarks;

/// <summary>A <c>composerbot serve</c> started as a process, waited on until its /healthz answers.</summary>
internal static class ServeProcess
{
    public static async Task WaitHealthyAsync(HttpClient http, CliProcess serve, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/healthz", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !serve.HasExited)
            {
            }

            if (DateTime.UtcNow > deadline || serve.HasExited)
            {
                throw new InvalidOperationException($"serve did not start:\n{serve.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
