namespace ComposerBot.Jobs;

/// <summary>This process's workers as others see them: the machine, the process and the device they compose on.</summary>
public sealed record WorkerIdentity(string Machine, int ProcessId, string Device)
{
    /// <summary>Recorded on each request a worker of this process runs.</summary>
    public string Name => $"{Machine}:{ProcessId}";

    /// <summary>The Hangfire server name: "machine/device", so that /healthz can tell every worker's device (Hangfire adds ":pid:guid").</summary>
    public string ServerName => $"{Machine}/{Device}";

    /// <summary>The device part of a server name written by <see cref="ServerName"/> (the server id adds ":guid" after it).</summary>
    public static string DeviceOf(string serverId)
    {
        var slash = serverId.LastIndexOf('/');
        if (slash < 0)
        {
            return "unknown";
        }

        var device = serverId[(slash + 1)..];
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? device : device[..colon];
    }
}
