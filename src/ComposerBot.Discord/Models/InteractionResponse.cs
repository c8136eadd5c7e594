namespace ComposerBot.Discord.Models;

/// <summary>The body of an interaction callback: <c>{type, data?}</c>.</summary>
public sealed record InteractionResponse(InteractionCallbackType Type, InteractionCallbackData? Data = null)
{
    public static InteractionResponse Pong { get; } = new(InteractionCallbackType.Pong);
}

public sealed record InteractionCallbackData
{
    public const int EphemeralFlag = 64;

    public string? Content { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }

    public IReadOnlyList<AttachmentReference>? Attachments { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>Modals: the submission's custom_id.</summary>
    public string? CustomId { get; init; }

    /// <summary>Modals: the dialog's title.</summary>
    public string? Title { get; init; }
}
