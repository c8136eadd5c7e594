namespace ComposerBot.Generation.Tests;

/// <summary>
/// Tests that seed libtorch's global generator (model initialisation, dropout while training) run one at a
/// time: two classes seeding it in parallel would make each other's runs irreproducible.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SerialTorch
{
    public const string Name = "libtorch global generator";
}
