using ComposerBot.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Tests;

/// <summary>The queue that worker processes share, opened from the test's own process to feed and watch it.</summary>
internal static class JobsObserver
{
    public static ServiceProvider Open(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddComposerJobs(configuration).BuildServiceProvider();
    }
}
