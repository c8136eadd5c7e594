namespace ComposerBot.Jobs.Publishing;

/// <summary>The registered publishers, by channel.</summary>
public sealed class PublisherSet(IEnumerable<IResultPublisher> publishers)
{
    private readonly Dictionary<string, IResultPublisher> _byChannel = publishers.ToDictionary(p => p.Channel, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Channels => _byChannel.Keys;

    public bool Has(string channel) => _byChannel.ContainsKey(channel);

    public IResultPublisher For(string channel) =>
        _byChannel.TryGetValue(channel, out var publisher) ? publisher : throw new InvalidOperationException($"No result publisher for channel '{channel}' is registered in this process.");
}
